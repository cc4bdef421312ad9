"""Mainland China mobile numbers."""

import re
import unicodedata

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(raw):
    """Digits only, without +86 or spaces; None when it is not a mainland mobile number."""
    text = unicodedata.normalize("NFKC", str(raw or "")).replace(" ", "").replace("-", "")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text if _MOBILE.match(text) else None

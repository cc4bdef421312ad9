"""A driver's consent that their phone's position at departure and delivery goes into the regulatory feed."""

from backend.common.errors import ApiError
from backend.regfeed import store
from backend.regfeed.models import PositionConsent

WORDING = "position-consent-2026-11"  # which text the driver agreed to, kept with their answer


def granted_at(driver_id):
    """When the driver consented, or None (never asked, or withdrawn)."""
    consent = store.get_consent(driver_id)
    return consent.granted_at if consent and consent.granted == "yes" else None


def record(*, principal, granted, now_ms):
    """The driver agrees (or no longer agrees) that their phone's position at departure and delivery is sent."""
    if principal.role != "driver":
        raise ApiError("forbidden_role", "only a driver consents for their own phone", status=403)
    consent = PositionConsent(
        principal.user_id,
        granted="yes" if granted else "no",
        granted_at=now_ms if granted else None,
        wording=WORDING,
        updated_at=now_ms,
    )
    return store.save_consent(consent)


def get(*, principal):
    consent = store.get_consent(principal.user_id)
    return consent or PositionConsent(principal.user_id, granted="no", wording=WORDING, updated_at=0)

"""Replies that always encode: a stored string no reply could carry is shown with U+FFFD, never a 500.

Records written before the edge checked text (backend/common/edge.py) may hold lone UTF-16 surrogates;
one of them used to fail the UTF-8 encoding of a whole list (the hall for every driver). We chose to
show such an item with the bad characters replaced (and log a warning) rather than skip it: the rest of
the item is still true, and backend/common/text_repair.py fixes the stored copy for good.
"""

import logging

from flask.json.provider import DefaultJSONProvider

from backend.common import text


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with lone surrogates in the output replaced by U+FFFD."""

    ensure_ascii = False

    def dumps(self, obj, **kwargs):
        rendered = super().dumps(obj, **kwargs)
        if text.has_surrogates(rendered):
            logging.getLogger("coalhaul").warning("reply carried lone surrogates; shown as U+FFFD (run text_repair)")
            rendered = text.repair(rendered)
        return rendered

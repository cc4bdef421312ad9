"""Waybill moves that concern people, turned into notifications (subscribed in backend/events.py).

Runs after the move committed; whoever made the move is not told about it. Nothing here is read for moves that
concern nobody (a driver's own grab costs no call), so the hot writes keep their round trips.
"""

import logging

from backend.notifications import people, service

log = logging.getLogger("coalhaul.notify")
ORG_PAGE = 20  # people of one organisation told (carriers' and shippers' desks are a handful)

# action -> (kind, who: "driver", "buyer", "carrier" (its carrier-role users), "shipper" (its shipper-role users))
MOVES = {
    "assign": ("dispatched", ("driver",)),
    "reassign": ("dispatched", ("driver",)),
    "entrust": ("entrusted", ("carrier",)),
    "decline_entrustment": ("declined", ("shipper",)),  # the load is back with its shipper, who must act
    "hold": ("hold", ("driver", "carrier")),
    "unhold": ("unhold", ("driver", "carrier")),
    "arrive": ("arrived", ("buyer", "shipper")),
    "dispute": ("disputed", ("carrier", "shipper")),
    "settle": ("settled", ("driver", "carrier")),
    "pay": ("paid", ("buyer",)),
}


def recipients(waybill, parties):
    """The user ids a move concerns."""
    found = []
    for party in parties:
        if party == "driver":
            found.append(waybill.driver_id)
        elif party == "buyer":
            found.append(waybill.buyer_id or waybill.ordered_by)
        elif party == "carrier":
            found += people.org_users(waybill.carrier_id, "carrier", limit=ORG_PAGE)
        elif party == "shipper":
            found += people.org_users(waybill.shipper_id, "shipper", limit=ORG_PAGE)
    return [u for u in dict.fromkeys(found) if u]


def params_of(waybill, reason):
    return {"waybill": waybill.waybill_id[-8:], "plate": waybill.plate or "", "reason": (reason or "")[:60]}


def on_waybill_moved(*, waybill, action, actor, now_ms, reason=None, **_):
    """Notify the people a move concerns (not its actor); a fault is logged, the move stands."""
    move = MOVES.get(action)
    if move is None:
        return None
    kind, parties = move
    if action == "assign" and getattr(actor, "user_id", None) == waybill.driver_id:
        return None  # a driver's own grab: nobody else needs telling, and the grab stays two calls
    try:
        told = [u for u in recipients(waybill, parties) if u != getattr(actor, "user_id", None)]
        return service.announce(
            kind=kind,
            user_ids=told,
            event_id=f"wb:{waybill.waybill_id}:{waybill.version}",
            params=params_of(waybill, reason),
            now_ms=now_ms,
        )
    except Exception:  # noqa: BLE001  the move committed; telling people is best effort on top of it
        log.exception("notifications for %s %s failed", action, waybill.waybill_id)
        return None


def on_complaint_answered(*, complaint_id, author_user_id, response, now_ms, **_):
    """Tell the complainant that dispatch answered (inbox, and push where it works); best effort after commit."""
    try:
        return service.announce(
            kind="complaint_answered",
            user_ids=[author_user_id],
            event_id=f"complaint:{complaint_id}",
            params={"reason": (response or "")[:60]},
            now_ms=now_ms,
        )
    except Exception:  # noqa: BLE001  the answer committed; telling the complainant is best effort on top of it
        log.exception("notification of answered complaint %s failed", complaint_id)
        return None

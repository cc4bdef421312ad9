"""Small pieces every appointments module uses: lookups with the right errors, access rules, views."""
import random
import time

from backend.appointments import store
from backend.common.errors import ApiError, Forbidden, NotFound, field_error


def require_mine(principal, mine_id):
    """Gate staff act only at their own mine; the dispatch centre and admins anywhere."""
    if principal.role in ("admin", "dispatcher", "system"):
        return
    if getattr(principal, "mine_id", None) != mine_id:
        raise Forbidden("forbidden_tenant", "gate staff work only at their own mine")


def slot_keys(slot_id, field="slot_id"):
    keys = store.parse_slot_id(slot_id)
    if keys is None:
        raise field_error(field, "not a window id (expected <mine_id>@<start ms>)")
    return keys


def get_slot(slot_id, field="slot_id"):
    mine_id, start = slot_keys(slot_id, field)
    slot = store.get_slot(mine_id, start)
    if slot is None:
        raise NotFound("slot_not_found", "no such window")
    return slot


def get_booking(booking_id):
    booking = store.get_booking(booking_id)
    if booking is None:
        raise NotFound("booking_not_found", "booking not found")
    return booking


def own_booking(principal, booking_id, *, active=True):
    """A driver's own booking (404 for anyone else's)."""
    booking = get_booking(booking_id)
    if principal.role == "driver" and booking.driver_id != principal.user_id:
        raise NotFound("booking_not_found", "booking not found")
    if active and booking.status != "active":
        raise ApiError("booking_not_active", f"this booking is {booking.status}", status=409,
                       details={"status": booking.status})
    return booking


def retry_busy(work, attempts=4):
    """Run a waybill transition again when it lost a race on a hot slot (a 409 busy), with jitter."""
    for attempt in range(attempts):
        try:
            return work()
        except ApiError as error:
            if error.code != "busy" or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))


def slot_view(slot):
    return {"id": store.slot_id(slot.mine_id, slot.start_ms), "mine_id": slot.mine_id, "date": slot.date,
            "start_ms": slot.start_ms, "end_ms": slot.end_ms, "capacity": slot.capacity, "booked": slot.booked,
            "free": max(slot.capacity - slot.booked, 0), "status": slot.status, "close_reason": slot.close_reason}


def booking_view(booking):
    names = ("booking_id", "waybill_id", "driver_id", "vehicle_id", "plate", "mine_id", "slot_id", "slot_start_ms",
             "slot_end_ms", "status", "stage", "checked_in_at", "checkin_method", "manual_reason",
             "manual_requested_at", "queue_at", "called_at", "call_deadline_ms", "requeues", "end_reason",
             "created_at", "updated_at")
    view = {name: getattr(booking, name) for name in names}
    view["id"] = view.pop("booking_id")
    return view


def event_view(event):
    return {"at": event.at, "action": event.action, "booking_id": event.booking_id, "waybill_id": event.waybill_id,
            "slot_id": event.slot_id, "actor_id": event.actor_id, "actor_role": event.actor_role,
            "reason": event.reason, "detail": event.detail}

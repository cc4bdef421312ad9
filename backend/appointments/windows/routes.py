"""Windows API: a mine's windows, suggestions for a driver, capacity."""

from backend.appointments.blueprint import blp
from backend.appointments.windows import schemas, service
from backend.common.access import current_principal, roles_required, signed_in
from backend.common.clock import now_ms


@blp.route("/mines/<mine_id>/slots", methods=["GET"])
@signed_in
@blp.arguments(schemas.SlotListArgs, location="query")
@blp.response(200, schemas.SlotListSchema)
def list_slots(args, mine_id):
    """A mine's windows on a date (today by default) with free seats."""
    return {"items": service.list_slots(mine_id=mine_id, date=args["date"], now_ms=now_ms())}


@blp.route("/suggestions", methods=["GET"])
@roles_required("driver")
@blp.arguments(schemas.SuggestArgs, location="query")
@blp.response(200, schemas.SuggestSchema)
def suggest(args):
    """Windows the driver can reach from where they are (ETA from distance and average speed)."""
    return service.suggestions(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/slots/<slot_id>", methods=["PATCH"])
@roles_required("gate", "admin")
@blp.arguments(schemas.CapacityArgs)
@blp.response(200, schemas.AppointmentSlotSchema)
def set_capacity(args, slot_id):
    """Raise or lower a window's seats (never below those booked)."""
    return service.set_capacity(principal=current_principal(), slot_id=slot_id, now_ms=now_ms(), **args)


@blp.route("/offer", methods=["GET"])
@roles_required("driver")
@blp.arguments(schemas.OfferArgs, location="query")
@blp.response(200, schemas.OfferSchema)
def offer(args):
    """From when the truck can be at the mine (by hand, or the ETA from lon/lat): the earliest window with room,
    and the full earlier windows to stand by for."""
    return service.offer(principal=current_principal(), now_ms=now_ms(), **args)

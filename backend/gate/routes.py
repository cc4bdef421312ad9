"""Gate devices post reads, scans and weighings; gate staff and parties read sightings, holds and tickets."""

from flask import g

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.devices.auth import device_required
from backend.gate import payloads, schemas, service
from backend.waybills.routes import WaybillPage

blp = Blueprint("gate", __name__, url_prefix="/api/gate", description="Gate: plate reads, QR passes, weighbridge")
STAFF = ("gate", "dispatcher", "admin")
TICKET_READERS = ("driver", "carrier", "shipper", "buyer", "gate", "dispatcher", "admin")


@blp.route("/sightings", methods=["POST"])
@device_required("camera")
@blp.arguments(schemas.CameraArgs)
@blp.response(201, schemas.SightingReply)
def post_sighting(args):
    """An ANPR camera read (our JSON or AlarmInfoPlate): scored, then paired with the QR pass or released."""
    now = now_ms()
    read = payloads.normalise_camera(args, now_ms=now)
    sighting, identification = service.record_sighting(read=read, device=g.device, now_ms=now)
    return {"sighting": sighting, "identification": identification}


@blp.route("/qr-scans", methods=["POST"])
@device_required("qr_scanner")
@blp.arguments(schemas.QrScanArgs)
@blp.response(201, schemas.QrScanReply)
def post_qr_scan(args):
    """A scanned gate pass: verified, then paired with the lane's plate read."""
    scan, identification = service.record_scan(
        token=args["token"], lane=args["lane"], at=args["at"], device=g.device, now_ms=now_ms()
    )
    return {"scan_id": scan.scan_id, "identification": identification}


@blp.route("/weighings", methods=["POST"])
@device_required("weighbridge")
@blp.arguments(schemas.WeighingArgs)
@blp.response(200, schemas.WeighingReply)
def post_weighing(args):
    """A weighbridge reading: stable ones count as tare, then gross; out of bounds holds the truck."""
    now = now_ms()
    result = service.record_weighing(reading=dict(args, at=args["at"] or now), device=g.device, now_ms=now)
    return result


@blp.route("/waybills/<waybill_id>/reweigh", methods=["POST"])
@roles_required(*STAFF)
@blp.arguments(schemas.ReweighArgs)
@blp.response(200, schemas.ReweighReply)
def reweigh(args, waybill_id):
    """Send an overloaded truck back to unload the surplus and weigh again; its tickets stay, the last counts."""
    return service.send_back_to_reweigh(
        principal=current_principal(), waybill_id=waybill_id, reason=args["reason"], now_ms=now_ms()
    )


@blp.route("/sightings", methods=["GET"])
@roles_required(*STAFF)
@blp.arguments(schemas.MineListArgs, location="query")
@blp.response(200, schemas.SightingPage)
def list_sightings(args):
    """Live sightings at a mine's gate, newest first, with their scores."""
    items, lek = service.list_sightings(
        principal=current_principal(),
        mine_id=args["mine_id"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/holds", methods=["GET"])
@roles_required(*STAFF)
@blp.arguments(schemas.MineListArgs, location="query")
@blp.response(200, WaybillPage)
def list_holds(args):
    """Held waybills at a mine, each with its hold reason."""
    items, lek = service.list_holds(
        principal=current_principal(),
        mine_id=args["mine_id"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/tickets", methods=["GET"])
@roles_required(*TICKET_READERS)
@blp.arguments(schemas.TicketListArgs, location="query")
@blp.response(200, schemas.TicketPage)
def list_tickets(args):
    """Weigh tickets: of one waybill for its parties (?waybill_id=), or of a mine for its gate staff."""
    principal = current_principal()
    if args["waybill_id"]:
        tickets = service.waybill_tickets(principal=principal, waybill_id=args["waybill_id"])
        return page(tickets, None)
    if principal.role not in STAFF:
        from backend.common.errors import field_error

        raise field_error("waybill_id", "required outside the gate")
    items, lek = service.list_mine_tickets(
        principal=principal,
        mine_id=args["mine_id"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/tickets/<ticket_id>", methods=["GET"])
@roles_required(*TICKET_READERS)
@blp.response(200, schemas.TicketSchema)
def get_ticket(ticket_id):
    """One weigh ticket, for the waybill's parties."""
    return service.get_ticket(principal=current_principal(), ticket_id=ticket_id)

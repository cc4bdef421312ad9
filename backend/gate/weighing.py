"""The unattended weighbridge: stable readings only, tare then gross, bounds checked, a ticket each."""

import statistics

from backend import events
from backend.accounts import service as accounts_service
from backend.alerts import service as alerts_service
from backend.catalogue import service as catalogue_service
from backend.common.errors import Conflict, NotFound, field_error
from backend.common.ids import new_id
from backend.common.transactions import TxOp
from backend.gate import store
from backend.gate.models import WeighTicket
from backend.gate.settings import legal_gross_kg, setting
from backend.waybills import service as waybills_service
from backend.waybills.service import SystemActor

WEIGHABLE = ("entered", "tare_weighed")


def find_waybill(*, mine_id, waybill_id=None, plate=None, at_ms):
    """The waybill on the bridge: named by the reading, or the plate's entered truck at this mine."""
    if waybill_id:
        waybill = waybills_service.get(waybill_id)
        if waybill.mine_id != mine_id:
            raise NotFound("waybill_not_found", "no such waybill at this mine")
        return waybill
    if not plate:
        raise field_error("plate", "send the plate or the waybill_id of the truck on the bridge")
    from backend.gate.scoring import active_waybill

    waybill = active_waybill(mine_id, plate, at_ms=at_ms)
    if waybill is None:
        raise NotFound("waybill_not_found", f"no truck {plate} inside this mine's gate")
    return waybill


def tare_problems(kg, vehicle, recent):
    """Tare drift against the registry and the truck's recent tares."""
    tolerance = setting("GATE_TARE_TOLERANCE_KG")
    problems = []
    if vehicle is not None and abs(kg - vehicle.tare_kg) > tolerance:
        problems.append(
            {
                "code": "tare_drift_registry",
                "registered_kg": vehicle.tare_kg,
                "measured_kg": kg,
                "message": f"皮重偏差 tare {kg} kg vs registered {vehicle.tare_kg} kg (±{tolerance})",
            }
        )
    if recent:
        median = int(statistics.median(recent))
        if abs(kg - median) > tolerance:
            problems.append(
                {
                    "code": "tare_drift_recent",
                    "recent_median_kg": median,
                    "measured_kg": kg,
                    "message": f"皮重偏差 tare {kg} kg vs recent {median} kg (±{tolerance})",
                }
            )
    return problems, {"tare_tolerance_kg": tolerance}


def gross_problems(gross, net, axles, vehicle, waybill):
    """Over the legal gross for the axle count, the rated load, or the ordered tonnage."""
    legal = legal_gross_kg(axles)
    ordered_max = waybill.tonnage_kg + setting("GATE_ORDER_TOLERANCE_KG")
    limits = {
        "legal_gross_kg": legal,
        "axles": axles,
        "ordered_max_kg": ordered_max,
        "rated_load_kg": vehicle.rated_load_kg if vehicle else None,
    }
    problems = []
    if gross > legal:
        problems.append(
            {"code": "over_legal_gross", "message": f"超限 gross {gross} kg > {legal} kg for {axles} axles"}
        )
    if vehicle is not None and net > vehicle.rated_load_kg:
        problems.append(
            {"code": "over_rated_load", "message": f"超载 net {net} kg > rated load {vehicle.rated_load_kg} kg"}
        )
    if net > ordered_max:
        problems.append({"code": "over_ordered", "message": f"超订单 net {net} kg > ordered {ordered_max} kg"})
    return problems, limits


def _ticket(waybill, reading, device, **fields):
    return WeighTicket(
        new_id("wt"),
        waybill_id=waybill.waybill_id,
        mine_id=waybill.mine_id,
        vehicle_id=waybill.vehicle_id,
        plate=waybill.plate,
        device_id=device.device_id,
        kg=reading["kg"],
        axles=reading["axles"],
        at=reading["at"],
        **fields,
    )


def _weigh_tare(waybill, reading, device, vehicle):
    problems, limits = tare_problems(
        reading["kg"], vehicle, store.recent_tares(waybill.vehicle_id) if waybill.vehicle_id else []
    )
    ticket = _ticket(
        waybill,
        reading,
        device,
        kind="tare",
        tare_kg=reading["kg"],
        limits=limits,
        problems=problems,
        held=bool(problems),
    )
    return "weigh_tare", {"tare_kg": reading["kg"]}, ticket


def _weigh_gross(waybill, reading, device, vehicle):
    gross, tare = reading["kg"], waybill.tare_kg
    if gross < tare + setting("GATE_MIN_LOAD_KG"):
        raise Conflict(
            "weigh_not_loaded",
            f"gross {gross} kg is not above the tare {tare} kg: load first",
            details={"tare_kg": tare, "kg": gross},
        )
    net = gross - tare
    axles = reading["axles"] or (vehicle.axles if vehicle else 6)
    problems, limits = gross_problems(gross, net, axles, vehicle, waybill)
    ticket = _ticket(
        waybill,
        reading,
        device,
        kind="gross",
        tare_kg=tare,
        gross_kg=gross,
        net_kg=net,
        limits=limits,
        problems=problems,
        held=bool(problems),
    )
    return "weigh_gross", {"gross_kg": gross, "net_kg": net}, ticket


def record_weighing(*, reading, device, now_ms):
    """Count a stable reading as the waybill's tare or gross; out of bounds → held with an alert."""
    if not reading["stable"]:
        return {"counted": False, "reason": "unstable", "ticket": None}
    waybill = find_waybill(
        mine_id=device.mine_id, waybill_id=reading.get("waybill_id"), plate=reading.get("plate"), at_ms=reading["at"]
    )
    if waybill.state not in WEIGHABLE:
        raise Conflict(
            "weigh_out_of_order", f"cannot weigh a waybill that is {waybill.state}", details={"state": waybill.state}
        )
    vehicle = accounts_service.find_vehicle(waybill.vehicle_id) if waybill.vehicle_id else None
    weigh = _weigh_tare if waybill.state == "entered" else _weigh_gross
    action, changes, ticket = weigh(waybill, reading, device, vehicle)
    actor = SystemActor(device.device_id, "device")
    steps = [store.ticket_op(ticket)] + _stock_steps(waybill, action, changes)
    moved = waybills_service.transition(
        waybill_id=waybill.waybill_id,
        action=action,
        actor=actor,
        now_ms=now_ms,
        changes=changes,
        extra_ops=steps,
        guard=lambda w: _same_state(w, waybill.state),
    )
    # A held gross is not yet the load that leaves: its money moves when the hold clears (alerts), and a truck sent
    # back to re-weigh publishes with its final gross.
    if action == "weigh_gross" and not ticket.held:
        events.publish("waybill_weighed_out", waybill_id=waybill.waybill_id, now_ms=now_ms, waybill=moved)
    if ticket.problems:
        reason = "; ".join(p["message"] for p in ticket.problems)
        alerts_service.raise_alert(
            kind="weighing",
            mine_id=waybill.mine_id,
            reason=reason,
            actor=actor,
            now_ms=now_ms,
            waybill_id=waybill.waybill_id,
            plate=waybill.plate,
            vehicle_id=waybill.vehicle_id,
            ticket_id=ticket.ticket_id,
            rules=ticket.problems,
            evidence={"numbers": _numbers(ticket)},
        )
    if action == "weigh_tare":
        _rescore_entry_with_tare(waybill, reading["kg"], now_ms)
    return {"counted": True, "reason": None, "ticket": ticket}


def _stock_steps(waybill, action, changes, *, undo=False):
    """The loaded weighing is when coal leaves the mine: live inventory falls by the net, a retail reservation ends.

    `undo` (a gross sent back to re-weigh, changes' net negative) puts the coal back and reserves it again.
    """
    if action != "weigh_gross" or catalogue_service.find_product(waybill.mine_id, waybill.product_id) is None:
        return []
    reserved = (waybill.tonnage_kg if waybill.kind == "retail" else 0) * (-1 if undo else 1)
    return [
        TxOp(
            apply=catalogue_service.loaded_step(
                waybill.mine_id, waybill.product_id, net_kg=changes["net_kg"], reserved_kg=reserved
            ),
            error=Conflict("stock_changed", "the product's reservation was already released"),
        )
    ]


def surplus_kg(ticket):
    """How much coal must come off for the gross ticket to be within every limit it was checked against."""
    limits = ticket.limits or {}
    over = [ticket.gross_kg - (limits.get("legal_gross_kg") or ticket.gross_kg)]
    over.append(ticket.net_kg - (limits.get("ordered_max_kg") or ticket.net_kg))
    if limits.get("rated_load_kg"):
        over.append(ticket.net_kg - limits["rated_load_kg"])
    return max(0, *over)


def _counted_gross(waybill_id):
    grosses = [t for t in store.waybill_tickets(waybill_id) if t.kind == "gross" and t.superseded_at is None]
    return grosses[-1] if grosses else None


def _may_reweigh(waybill):
    if waybill.state == "gross_weighed" or (waybill.state == "held" and waybill.held_from == "gross_weighed"):
        return
    raise Conflict(
        "reweigh_not_allowed",
        f"only a loaded, weighed truck can be sent back to re-weigh (this one is {waybill.state})",
        details={"state": waybill.state},
    )


def send_back_to_reweigh(*, principal, waybill_id, reason, now_ms):
    """Overloaded: the truck goes back to unload the surplus and is weighed again.

    In one transaction: the waybill returns to tare_weighed (the next stable reading is its gross again, so the
    tare stays), the counted gross ticket is marked superseded (every ticket is kept, the last one counts), the
    coal that gross took out of inventory goes back with the order's reservation (the next gross takes the final
    net), and the weighing alerts that held the truck close with the reason.
    """
    waybill = waybills_service.get(waybill_id)
    if principal.role == "gate" and principal.mine_id != waybill.mine_id:
        raise NotFound("waybill_not_found", "no such waybill at this mine")
    _may_reweigh(waybill)
    ticket = _counted_gross(waybill_id)
    if ticket is None:
        raise Conflict("reweigh_not_allowed", "this waybill has no gross weighing to send back", details={})
    surplus = surplus_kg(ticket)
    why = f"退回卸货复磅 unload {surplus} kg and weigh again: {reason}"
    steps = [store.supersede_op(ticket, at=now_ms, surplus_kg=surplus, reason=reason)]
    steps += _stock_steps(waybill, "weigh_gross", {"net_kg": -ticket.net_kg}, undo=True)
    steps += alerts_service.reweigh_steps(waybill_id=waybill_id, by=principal.user_id, reason=why, now_ms=now_ms)
    moved = waybills_service.transition(
        waybill_id=waybill_id,
        action="reweigh",
        actor=principal,
        now_ms=now_ms,
        reason=why,
        changes={"gross_kg": None, "net_kg": None, "held_from": None, "hold_reason": None},
        extra_ops=steps,
        guard=_may_reweigh,
        waybill=waybill,
    )
    ticket.superseded_at, ticket.surplus_kg, ticket.reweigh_reason = now_ms, surplus, reason
    return {"waybill": moved, "ticket": ticket, "surplus_kg": surplus}


def _same_state(waybill, expected):
    # A second reading racing the first must not turn a tare into a gross.
    if waybill.state != expected:
        raise Conflict("weigh_out_of_order", f"the waybill is now {waybill.state}", details={"state": waybill.state})


def _numbers(ticket):
    return {
        "kg": ticket.kg,
        "axles": ticket.axles,
        "tare_kg": ticket.tare_kg,
        "gross_kg": ticket.gross_kg,
        "net_kg": ticket.net_kg,
        **(ticket.limits or {}),
    }


def _rescore_entry_with_tare(waybill, tare_kg, now_ms):
    """The empty weighing is evidence too: score the entry read again with it."""
    from backend.gate import scoring

    for sighting in (
        store.vehicle_sightings(waybill.vehicle_id, since=now_ms - 6 * 3600 * 1000) if waybill.vehicle_id else []
    ):
        if sighting.waybill_id == waybill.waybill_id and sighting.direction == "in":
            sighting.tare_kg = tare_kg
            store.update_sighting(sighting, tare_kg=tare_kg)
            scoring.score_sighting(sighting=sighting, now_ms=now_ms)
            return

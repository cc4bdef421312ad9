"""The order hall (货源大厅): open loads by distance, and the grab that exactly one driver wins."""

from backend import events
from backend.accounts import service as accounts_service
from backend.catalogue import service as catalogue_service
from backend.common import batch
from backend.common.errors import Conflict, NotFound
from backend.common.geo import haversine_m
from backend.dispatch import contacts, service
from backend.orders.config import settings as order_settings
from backend.orders.pricing import road_distance_m
from backend.trust import service as trust_service
from backend.waybills import service as waybills


def list_hall(
    *, near=None, mine_id=None, product_id=None, min_freight_fen_per_t=None, limit=50, driver_id=None, notice=None
):
    """Open loads nearest first: one Query of a sparse hall index, sorted here by haversine; their mines from the
    process's copy of the mine directory; then one batch read for the page (more only past 99 keys).

    For a driver (`driver_id`) the credit gate hides loads whose payer asks a higher grade and suspended payers'
    loads, and a suspended driver sees none; `notice` (a dict) receives what was hidden. The page's batch reads
    the standings of the nearest `limit` loads' payers (and the driver's own) beside their people and companies:
    only when the gate hid some of them are the rest's standings read, then the people of the loads that fill in.
    `hidden_by_grade` counts the hidden loads among those the gate looked at.
    """
    loads = waybills.hall_loads(mine_id, product_id=product_id, min_freight_fen_per_t=min_freight_fen_per_t)
    # The mines' names and places from this process's copy of the directory (read again if it lacks one).
    mines = catalogue_service.mine_directory(naming={mine_id} if mine_id else {w.mine_id for w in loads})
    if mine_id and mine_id not in mines:
        raise NotFound("mine_not_found", "mine not found")
    road_factor = order_settings().road_factor
    nearest = sorted(
        (
            (hall_view(waybill, mines[waybill.mine_id], near, road_factor=road_factor), waybill)
            for waybill in loads
            if waybill.mine_id in mines
        ),
        key=lambda pair: (pair[0]["distance_to_mine_m"] or 0, pair[0]["created_at"], pair[0]["id"]),
    )
    gate = trust_service.HallGate(driver_id) if driver_id else None
    shown = _page(nearest[:limit], gate)
    if gate and not gate.notice["suspended"] and len(shown) < limit < len(nearest):
        # The gate hid some of the nearest: read the rest's standings, then the people of those that fill in.
        shown += _page(nearest[limit:], gate, room=limit - len(shown))
    if gate and notice is not None:
        notice.update(gate.notice)
    return shown


def _page(candidates, gate, room=None):
    """The candidates' rows the gate shows (at most `room`), each with who ordered it.

    The nearest page (no `room`) reads the gate's standings and its owners' people and companies in one batch;
    the rest read their standings first, then the owners of only the rows that fit."""
    payers = [trust_service.payer_of(waybill) for _, waybill in candidates]
    party_ids, standing_reads = gate.reads(payers) if gate else ([], [])
    owners = contacts.Owners(waybill for _, waybill in candidates) if room is None else None
    records = batch.get_all(*standing_reads, *(owners.reads if owners else []))
    if gate:
        gate.received(party_ids, records[: len(standing_reads)])
    shown = [pair for pair, payer in zip(candidates, payers, strict=True) if not gate or gate.shows(payer)]
    if owners is None:
        shown = shown[:room]
        owners = contacts.Owners(waybill for _, waybill in shown)
        owner_records = batch.get_all(*owners.reads)
    else:
        owner_records = records[len(standing_reads) :]
    of = owners.of(owner_records)
    return [dict(row, **of.get(row["id"], {})) for row, _ in shown]


def hall_view(waybill, mine, near, *, road_factor=1.0):
    """What a driver needs to choose a load: where, what, how far (by road, as the buyer's quote), how much."""
    origin = mine.location["coordinates"]
    point = ((waybill.destination or {}).get("point") or {}).get("coordinates")
    per_t = waybill.freight_fen_per_t
    return {
        "id": waybill.waybill_id,
        "mine_id": mine.mine_id,
        "mine_name": mine.name,
        "mine_name_en": mine.name_en,
        "product_id": waybill.product_id,
        "tonnage_kg": waybill.tonnage_kg,
        "freight_fen_per_t": waybill.freight_fen_per_t,
        "wanted_date": waybill.wanted_date,
        "destination_address": (waybill.destination or {}).get("address"),
        "distance_to_mine_m": round(haversine_m(near, origin)) if near else None,
        "haul_distance_m": round(haversine_m(origin, point)) if point else None,
        # The distance the buyer's quote charged for (orders.pricing), not the straight line.
        "road_distance_m": road_distance_m(origin, point, road_factor) if point else None,
        "freight_fen_per_truck": (per_t * waybill.tonnage_kg + 500) // 1000 if per_t is not None else None,
        "mine_point": origin,
        "destination_point": point,
        "created_at": waybill.created_at,
        "version": waybill.version,
    }


def vehicles_for(*, principal):
    """The driver's carrier's active trucks, each saying whether it is on an active load (`busy`).

    A carrier fleet is a few dozen: one page of the by_carrier index, then the trucks' claim items and the
    loads they name in two batch reads, so the truck picker can grey out busy trucks before the tap.
    """
    driver = service.active_driver(principal.user_id)
    items = [v for v in accounts_service.carrier_vehicles(driver.org_id) if v.status == "active"]
    busy = waybills.busy_holders([v.vehicle_id for v in items], kind="vehicle")
    return [
        {
            "id": v.vehicle_id,
            "plate": v.plate,
            "plate_color": v.plate_color,
            "rated_load_kg": v.rated_load_kg,
            "busy": v.vehicle_id in busy,
            # The driver's own load is theirs to see; another driver's is only "busy".
            "busy_waybill_id": busy[v.vehicle_id].waybill_id
            if v.vehicle_id in busy and busy[v.vehicle_id].driver_id == principal.user_id
            else None,
        }
        for v in items
    ]


def grab_load(*, principal, waybill_id, vehicle_id, now_ms, where=None):
    """A driver takes a hall load with one of their carrier's vehicles; a lost race is a clean 409."""
    # Two round trips: the driver, truck and load in one batch, then the transaction that decides the race
    # (the load's state and version, the driver's one-active claim, the quota truck, the Idempotency-Key).
    # The truck's one-active claim rides in that batch: a truck already on the road is refused before the write.
    if waybills.known_out_of_hall(waybill_id):
        # The grabs that arrive after the load was won: refused for the cost of the key's record alone.
        raise _not_in_hall()
    user, vehicle, first, papers, standing, truck_claim = service.crew_load_and_standing(
        driver_id=principal.user_id, vehicle_id=vehicle_id, waybill_id=waybill_id
    )
    driver = service.active_driver(principal.user_id, user=user)
    _still_in_hall(first)
    vehicle = service.fitting_vehicle(
        vehicle,
        carrier_id=driver.org_id,
        tonnage_kg=first.tonnage_kg,
        papers=papers,
        now_ms=now_ms,
        claim=truck_claim,
        waybill_id=waybill_id,
        driver_id=driver.user_id,
    )

    def build(waybill):
        steps, quota_date = service.take_steps(waybill, now_ms=now_ms)
        # Condition checks, no read: the carrier is not suspended, the driver meets the shipper's minimum grade.
        steps += trust_service.grab_steps(waybill, driver_standing=standing, carrier_id=driver.org_id)
        # A low grade puts up its deposit in the same transaction (writes only): still two calls.
        deposit, deposit_steps = trust_service.deposit_take(
            waybill, driver_standing=standing, driver_id=driver.user_id, carrier_id=driver.org_id, now_ms=now_ms
        )
        steps += deposit_steps
        changes = {
            **deposit,
            "driver_id": driver.user_id,
            "vehicle_id": vehicle.vehicle_id,
            "plate": vehicle.plate,
            "carrier_id": driver.org_id,
            "hall_mine_id": None,
            "via": "hall",
            "quota_date": quota_date,
        }
        return changes, steps, _still_in_hall

    won = waybills.fresh_transition(
        waybill_id=waybill_id, action="assign", actor=principal, now_ms=now_ms, build=build, where=where, waybill=first
    )
    waybills.note_out_of_hall(waybill_id)  # the drivers still tapping it need not read it
    return won


def _not_in_hall():
    return Conflict("load_not_in_hall", "this load is not (or no longer) in the order hall")


def _still_in_hall(waybill):
    # One reply whether the load was taken, cancelled or never published: another tenant's state is not ours to show.
    if waybill.hall_mine_id is None or waybill.state != "open":
        waybills.note_out_of_hall(waybill.waybill_id)
        raise _not_in_hall()


def give_back(*, principal, waybill_id, now_ms, reason=None):
    """The driver returns a load before booking: it goes back to the hall (or to its carrier)."""
    first = waybills.get_visible(principal, waybill_id)
    if first.driver_id != principal.user_id:
        raise NotFound("waybill_not_found", "waybill not found")

    def build(waybill):
        via_hall = waybill.via == "hall"
        changes = {
            "driver_id": None,
            "vehicle_id": None,
            "plate": None,
            "hall_mine_id": waybill.mine_id if via_hall else None,
            "carrier_id": None if via_hall else waybill.carrier_id,
            "quota_date": None,
        }
        # The driver's cancellation after the grab counts on its credit in this same write (backend/trust).
        steps = service.give_back_steps(waybill) + events.steps("load_given_back", waybill=waybill, now_ms=now_ms)
        return changes, steps, None

    return waybills.fresh_transition(
        waybill_id=waybill_id, action="unassign", actor=principal, now_ms=now_ms, build=build, reason=reason
    )

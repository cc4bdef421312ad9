"""Gate reads and writes: sightings, QR scans, weigh tickets, and the waybill lookups the gate needs."""

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from backend import db
from backend.common import store as common_store
from backend.common.errors import Conflict
from backend.common.transactions import TxOp
from backend.gate.models import QrScan, Sighting, WeighTicket


class AlreadyPaired(Exception):
    """The sighting or the scan was paired by a concurrent event first."""


def save(record):
    """Insert a new sighting, scan or ticket."""
    hash_attr = type(record)._hash_key_attribute()
    record.save(condition=hash_attr.does_not_exist())
    return record


def get_sighting(sighting_id):
    try:
        return Sighting.get(sighting_id, consistent_read=True)
    except DoesNotExist:
        return None


def update_sighting(sighting, **fields):
    """Set (or, with None, remove) attributes of a stored sighting."""
    actions = [getattr(Sighting, k).remove() if v is None else getattr(Sighting, k).set(v) for k, v in fields.items()]
    sighting.update(actions=actions)
    return sighting


def plate_sightings(plate, *, since, before, limit=50):
    """The plate's latest reads in [since, before), newest first (a real truck passes a few gates in 6 h)."""
    return list(
        Sighting.by_plate.query(plate, Sighting.at.between(since, before - 1), scan_index_forward=False, limit=limit)
    )


def vehicle_sightings(vehicle_id, *, since):
    """Sightings of a registered truck's plate since a time, newest first."""
    return list(Sighting.by_vehicle.query(vehicle_id, Sighting.at >= since, scan_index_forward=False))


def unpaired_sightings(lane_key, *, since, until):
    """Entry reads on a lane in a window not yet paired with a QR pass, newest first."""
    condition = Sighting.qr_scan_id.does_not_exist() & (Sighting.direction == "in")
    return list(
        Sighting.by_lane.query(
            lane_key, Sighting.at.between(since, until), filter_condition=condition, scan_index_forward=False
        )
    )


def unpaired_scans(lane_key, *, since, until):
    """QR scans on a lane in a window not yet paired with a plate read, newest first."""
    return list(
        QrScan.by_lane.query(
            lane_key,
            QrScan.at.between(since, until),
            filter_condition=QrScan.sighting_id.does_not_exist(),
            scan_index_forward=False,
        )
    )


def pair(sighting, scan, *, outcome):
    """Mark a read and a scan as each other's pair, only if neither was paired yet."""
    try:
        with db.transaction() as tx:
            tx.update(
                sighting,
                actions=[Sighting.qr_scan_id.set(scan.scan_id), Sighting.waybill_id.set(scan.waybill_id)],
                condition=Sighting.qr_scan_id.does_not_exist(),
            )
            tx.update(
                scan,
                actions=[QrScan.sighting_id.set(sighting.sighting_id), QrScan.outcome.set(outcome)],
                condition=QrScan.sighting_id.does_not_exist(),
            )
    except TransactWriteError as error:
        raise AlreadyPaired() from error
    sighting.qr_scan_id, sighting.waybill_id = scan.scan_id, scan.waybill_id
    scan.sighting_id, scan.outcome = sighting.sighting_id, outcome


def set_scan_outcome(scan, outcome):
    scan.update(actions=[QrScan.outcome.set(outcome)])


def list_mine_sightings(mine_id, *, limit, last_evaluated_key):
    """One page of a mine's sightings, newest first."""
    query = lambda **kw: Sighting.by_mine.query(mine_id, scan_index_forward=False, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def ticket_op(ticket):
    """A transition's transaction step writing the weigh ticket with it."""
    return TxOp(
        apply=lambda tx: tx.save(ticket, condition=WeighTicket.ticket_id.does_not_exist()),
        error=Conflict("ticket_exists", "this weighing was already recorded"),
    )


def supersede_op(ticket, *, at, surplus_kg, reason):
    """A transaction step marking a gross ticket as sent back for re-weighing (once)."""
    return TxOp(
        apply=lambda tx: tx.update(
            ticket,
            actions=[
                WeighTicket.superseded_at.set(at),
                WeighTicket.surplus_kg.set(surplus_kg),
                WeighTicket.reweigh_reason.set(reason),
            ],
            condition=WeighTicket.superseded_at.does_not_exist(),
        ),
        error=Conflict("reweigh_already_sent", "this weighing was already sent back"),
    )


def get_ticket(ticket_id):
    try:
        return WeighTicket.get(ticket_id, consistent_read=True)
    except DoesNotExist:
        return None


def recent_tares(vehicle_id, *, limit=10):
    """The truck's latest counted tares in kg, newest last."""
    tickets = WeighTicket.by_vehicle.query(
        vehicle_id, filter_condition=WeighTicket.kind == "tare", scan_index_forward=False, limit=limit
    )
    return [t.kg for t in tickets][::-1]


def waybill_tickets(waybill_id):
    """A waybill's weigh tickets, oldest first."""
    return list(WeighTicket.by_waybill.query(waybill_id, scan_index_forward=True))


def list_mine_tickets(mine_id, *, limit, last_evaluated_key):
    query = lambda **kw: WeighTicket.by_mine.query(mine_id, scan_index_forward=False, **kw)  # noqa: E731
    return common_store.query_page(query, limit=limit, last_evaluated_key=last_evaluated_key)


def last_fix_before(vehicle_id, *, at_ms):
    """Tracking's latest stored fix of a vehicle at or before a time (one Query), or None."""
    from backend.tracking import service as tracking  # tracking owns how fixes are stored (packed per minute)

    return tracking.last_fix_before(vehicle_id, at_ms=at_ms)

"""Retail orders, shipper bulk orders, entrusting and publishing loads, and cancelling them."""

import re

from backend import events
from backend.accounts import service as accounts_service
from backend.auth import service as auth_service
from backend.catalogue import service as catalogue
from backend.common.clock import shanghai_date
from backend.common.errors import ApiError, Conflict, NotFound, field_error
from backend.common.ids import new_id
from backend.common.transactions import TxOp
from backend.geofences import service as geofences
from backend.orders import fit, pricing, store
from backend.orders.config import settings
from backend.payments import service as payments
from backend.places import service as places
from backend.waybills import service as waybills

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_JOBS = waybills.SystemActor("jobs")


def _check_tonnage(tonnage_kg):
    conf = settings()
    if not conf.min_tonnage_kg <= tonnage_kg <= conf.max_tonnage_kg:
        raise field_error("tonnage_kg", f"one truckload is {conf.min_tonnage_kg}–{conf.max_tonnage_kg} kg")


def _check_destination(destination):
    lon, lat = destination["point"]["coordinates"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise field_error("destination", "point must be [longitude, latitude] in WGS-84")


def _fenced(destination):
    """The destination with its arrival fence: the drawn polygon, else a circle suited to the site."""
    fence = geofences.destination_fence(
        point=destination["point"]["coordinates"],
        polygon=destination.get("polygon"),
        radius_m=destination.get("radius_m"),
        field="destination",
    )
    # A place picked from the gazetteer gives its county code, kept on the order for the regulatory feed.
    return dict(destination, **fence, **places.county_for(place_code=destination.get("place_code")))


def _check_seen_price(quote_total_fen, priced):
    """An order placed at a price the buyer saw: a different price now (stock or rates changed) is refused."""
    if quote_total_fen is not None and quote_total_fen != priced["total_fen"]:
        raise Conflict(
            "quote_changed",
            "the price changed since the quote: look at the new quote and order again",
            details={"fields": {"quote_total_fen": ["not the current price"]}, "quote": priced},
        )


def _wanted_date(value, now_ms):
    if value is None:
        return shanghai_date(now_ms)
    if not _DATE.match(value) or value < shanghai_date(now_ms):
        raise field_error("wanted_date", "a date (YYYY-MM-DD) from today on")
    return value


def quote(*, mine_id, product_id, tonnage_kg, destination):
    """Coal at the mine's price plus freight from distance, in fen; nothing is reserved."""
    return _priced(mine_id=mine_id, product_id=product_id, tonnage_kg=tonnage_kg, destination=destination)[0]


def _priced(*, mine_id, product_id, tonnage_kg, destination):
    """(the quote, the mine record): an order needs the mine's selling shipper beside the price."""
    _check_tonnage(tonnage_kg)
    _check_destination(destination)
    mine = catalogue.get_mine(mine_id)
    product = catalogue.get_product(mine_id, product_id)
    conf = settings()
    result = pricing.quote(
        price_fen_per_t=product.price_fen_per_t,
        tonnage_kg=tonnage_kg,
        origin=mine.location["coordinates"],
        destination=destination["point"]["coordinates"],
        road_factor=conf.road_factor,
        freight_fen_per_tkm=conf.freight_fen_per_tkm,
    )
    quoted = dict(result, mine_id=mine_id, product_id=product_id, available_kg=catalogue.available_kg(product))
    return quoted, mine


def _buyer_for(principal, buyer_phone):
    """The buyer an order is for: the signed-in buyer, or the one a shipper names by phone."""
    if principal.role == "buyer":
        return principal.user_id
    if not buyer_phone:
        raise field_error("buyer_phone", "a shipper names the buyer (by phone) the truckload is for")
    buyer = auth_service.find_user_by_phone(buyer_phone)
    if buyer is None or buyer.role != "buyer":
        raise NotFound(
            "buyer_not_found",
            "no buyer account with this phone",
            details={"fields": {"buyer_phone": ["no buyer with this phone"]}},
        )
    return buyer.user_id


def place_retail(
    *,
    principal,
    mine_id,
    product_id,
    tonnage_kg,
    destination,
    now_ms,
    wanted_date=None,
    buyer_phone=None,
    quote_total_fen=None,
):
    """One truckload for a buyer: stock reserved and the waybill created atomically.

    A buyer's own order waits for its payment (先款后货: payments publishes it when paid); a shipper's
    goes to the hall at once (shippers pay from their prepaid balance). Either belongs to a shipper: the one
    that placed it, or the mine's selling shipper (its sales company), whose load list then shows it.
    """
    priced, mine = _priced(mine_id=mine_id, product_id=product_id, tonnage_kg=tonnage_kg, destination=destination)
    _check_seen_price(quote_total_fen, priced)
    destination = _fenced(destination)
    buyer_id = _buyer_for(principal, buyer_phone)
    prepay = payments.prepay_required(principal)
    waybill = waybills.new_waybill(
        new_id("wb"),
        state="open",
        version=0,
        order_id=new_id("ord"),
        mine_id=mine_id,
        product_id=product_id,
        tonnage_kg=tonnage_kg,
        price_fen_per_t=priced["price_fen_per_t"],
        freight_fen_per_t=priced["freight_fen_per_t"],
        buyer_id=buyer_id,
        shipper_id=principal.org_id if principal.role == "shipper" else mine.sales_org_id,
        hall_mine_id=None if prepay else mine_id,
        destination=destination,
        wanted_date=_wanted_date(wanted_date, now_ms),
        created_at=now_ms,
        updated_at=now_ms,
        kind="retail",
        ordered_by=principal.user_id,
        quote={k: priced[k] for k in ("road_distance_m", "coal_fen", "freight_fen", "total_fen")},
    )
    try:
        return store.create_retail(
            waybill,
            create_step=waybills.create_step(waybill),
            reserve_step=catalogue.reserve_step(mine_id, product_id, tonnage_kg),
            payment_step=payments.create_step(waybill, now_ms=now_ms) if prepay else None,
        )
    except store.OutOfStock:
        raise Conflict(
            "out_of_stock",
            "not enough of this coal is available for that tonnage",
            details={
                "fields": {"tonnage_kg": ["more than available"]},
                "available_kg": catalogue.available_kg(catalogue.get_product(mine_id, product_id)),
            },
        ) from None


def _carrier(carrier_id):
    org = accounts_service.find_org(carrier_id) if carrier_id else None
    if org is None or org.kind != "carrier":
        raise NotFound("carrier_not_found", "no such carrier", details={"fields": {"carrier_id": ["unknown carrier"]}})
    return org


def company_names(*, org_ids):
    """[{id, name}] of the companies on loads (shippers, carriers): the names printed on every waybill."""
    names = accounts_service.org_names([i for i in org_ids if i])
    return [{"id": org_id, "name": names[org_id]} for org_id in dict.fromkeys(org_ids) if org_id in names]


def carrier_fit(*, carrier_id):
    """What the carrier's trucks can take: the bulk form's default tonnage and the largest load it can be given."""
    _carrier(carrier_id)
    conf = settings()
    vehicles = accounts_service.carrier_vehicles(carrier_id)  # one page: a fleet is a few dozen trucks
    return dict(
        fit.truckload_fit(vehicles, min_kg=conf.min_tonnage_kg, max_kg=conf.max_tonnage_kg), carrier_id=carrier_id
    )


def _require_a_truck(carrier_id, tonnage_kg):
    """Refuse to entrust a load no truck of the carrier can take: it could be accepted but never assigned."""
    found = carrier_fit(carrier_id=carrier_id)
    if found["largest_kg"] is None or found["largest_kg"] < tonnage_kg:
        raise Conflict(
            "no_truck_fits",
            f"no truck of this carrier can take {tonnage_kg} kg (largest {found['largest_kg']} kg)",
            details={
                "fields": {"tonnage_kg": ["more than any truck of this carrier takes"]},
                "largest_kg": found["largest_kg"],
                "suggested_kg": found["suggested_kg"],
            },
        )


def place_bulk(
    *,
    principal,
    mine_id,
    product_id,
    trucks,
    tonnage_kg,
    destination,
    now_ms,
    wanted_date=None,
    carrier_id=None,
    freight_fen_per_t=None,
):
    """N truckloads drawn from the shipper's allocation in one transaction; optionally entrusted or published."""
    _check_tonnage(tonnage_kg)
    _check_destination(destination)
    destination = _fenced(destination)
    if not 1 <= trucks <= settings().max_bulk_trucks:
        raise field_error("trucks", f"1–{settings().max_bulk_trucks} per order (one transaction holds ≤ 100 items)")
    if carrier_id and freight_fen_per_t:
        raise field_error("carrier_id", "entrust to a carrier or publish to the hall, not both")
    if carrier_id:
        _require_a_truck(carrier_id, tonnage_kg)
    product = catalogue.get_product(mine_id, product_id)
    order_id, date = new_id("ord"), _wanted_date(wanted_date, now_ms)
    fields = dict(
        state="open",
        version=0,
        order_id=order_id,
        mine_id=mine_id,
        product_id=product_id,
        tonnage_kg=tonnage_kg,
        price_fen_per_t=product.price_fen_per_t,
        freight_fen_per_t=freight_fen_per_t,
        shipper_id=principal.org_id,
        carrier_id=carrier_id,
        entrust_status="pending" if carrier_id else None,
        hall_mine_id=mine_id if freight_fen_per_t else None,
        destination=destination,
        wanted_date=date,
        created_at=now_ms,
        updated_at=now_ms,
    )
    loads = [
        waybills.new_waybill(new_id("wb"), **fields, kind="bulk", ordered_by=principal.user_id) for _ in range(trucks)
    ]
    try:
        return order_id, store.create_bulk(
            loads,
            create_steps=[waybills.create_step(w) for w in loads],
            shipper_id=principal.org_id,
            mine_id=mine_id,
            product_id=product_id,
            now_ms=now_ms,
        )
    except store.AllocationShort:
        allocation = store.get_allocation(principal.org_id, mine_id, product_id)
        raise Conflict(
            "allocation_exhausted",
            "your allocation at this mine has less coal left than that",
            details={
                "fields": {"trucks": ["more than your allocation"]},
                "remaining_kg": allocation.remaining_kg if allocation else 0,
            },
        ) from None


def _bought_by_buyer(waybill):
    """A buyer's own retail order: its selling shipper sees and tracks it, the buyer alone changes it."""
    return waybill.kind == "retail" and waybill.ordered_by == waybill.buyer_id


def _own_load(principal, waybill_id):
    waybill = waybills.get_visible(principal, waybill_id)
    if principal.role == "shipper" and (waybill.shipper_id != principal.org_id or _bought_by_buyer(waybill)):
        raise NotFound("waybill_not_found", "waybill not found")
    return waybill


def entrust(*, principal, waybill_id, carrier_id, now_ms):
    """Hand an open load to a carrier, which then accepts or declines."""
    load = _own_load(principal, waybill_id)
    _require_a_truck(carrier_id, load.tonnage_kg)

    def check(waybill):
        if waybill.entrust_status == "accepted":
            raise Conflict("already_entrusted", "a carrier has already accepted this load")

    return waybills.transition(
        waybill_id=waybill_id,
        action="entrust",
        actor=principal,
        now_ms=now_ms,
        guard=check,
        changes={"carrier_id": carrier_id, "entrust_status": "pending", "hall_mine_id": None},
    )


def publish(*, principal, waybill_id, freight_fen_per_t, now_ms):
    """Put an open load in the order hall at a freight rate (withdrawing a pending entrustment)."""
    first = _own_load(principal, waybill_id)

    def check(waybill):
        if waybill.entrust_status == "accepted":
            raise Conflict("already_entrusted", "a carrier has already accepted this load")

    return waybills.transition(
        waybill_id=waybill_id,
        action="publish",
        actor=principal,
        now_ms=now_ms,
        guard=check,
        changes={
            "hall_mine_id": first.mine_id,
            "freight_fen_per_t": freight_fen_per_t,
            "carrier_id": None,
            "entrust_status": None,
        },
    )


def _may_redraw(principal, waybill):
    if principal.role == "shipper":
        return bool(principal.org_id) and waybill.shipper_id == principal.org_id and not _bought_by_buyer(waybill)
    if principal.role == "buyer":
        return waybill.buyer_id == principal.user_id
    return principal.role == "admin"


def set_destination_fence(*, principal, waybill_id, now_ms, polygon=None, radius_m=None):
    """The buyer (or the shipper) redraws a load's arrival fence: the site's polygon or a radius around the point."""
    visible = waybills.get_visible(principal, waybill_id)
    if not _may_redraw(principal, visible):
        raise ApiError("forbidden_tenant", "only the buyer or the shipper of this load may move its fence", status=403)
    if polygon is None and radius_m is None:
        raise field_error("radius_m", "send the site's polygon or a radius")
    if not (visible.destination or {}).get("point"):
        raise Conflict("no_destination", "this load has no delivery point to fence")
    fence = geofences.destination_fence(
        point=visible.destination["point"]["coordinates"], polygon=polygon, radius_m=radius_m
    )
    return waybills.transition(
        waybill_id=waybill_id,
        action="set_destination_fence",
        actor=principal,
        now_ms=now_ms,
        changes=lambda w: {"destination": dict(w.destination, **fence)},
        waybill=visible,
    )


def _may_cancel(principal, waybill):
    if principal.role == "shipper":
        return waybill.shipper_id == principal.org_id and not _bought_by_buyer(waybill)
    if principal.role == "buyer":
        return waybill.buyer_id == principal.user_id and waybill.ordered_by == principal.user_id
    return principal.role == "admin"


def _return_step(waybill):
    """Give the coal back: a retail order's reservation, or a bulk load's volume to its allocation."""
    if waybill.kind == "bulk":
        apply = store.allocation_return_op(waybill.shipper_id, waybill.mine_id, waybill.product_id, waybill.tonnage_kg)
    else:
        apply = catalogue.release_step(waybill.mine_id, waybill.product_id, waybill.tonnage_kg)
    return TxOp(apply=apply, error=Conflict("release_failed", "the reservation was already given back"))


def cancel(*, principal, waybill_id, now_ms, reason=None):
    """Cancel before the slot is booked: the coal, the driver and the quota truck go back in one transaction."""
    visible = waybills.get_visible(principal, waybill_id)
    if not _may_cancel(principal, visible):
        raise ApiError("forbidden_tenant", "only who placed this order may cancel it", status=403)
    payment = payments.find(waybill_id) if visible.kind == "retail" else None

    def build(waybill):
        steps = [_return_step(waybill)] + _payment_steps(payments.find(waybill_id) if payment else None, now_ms)
        if waybill.state == "assigned":
            steps += events.steps("load_cancelled", waybill=waybill)
        return {"hall_mine_id": None}, steps, None

    cancelled = waybills.fresh_transition(
        waybill_id=waybill_id, action="cancel", actor=principal, now_ms=now_ms, build=build, reason=reason
    )
    if payment is not None:
        payments.refund(waybill_id, now_ms=now_ms)  # a paid order: everything back (cancel is before booking)
    return cancelled


def _payment_steps(payment, now_ms):
    """An unpaid order's payment closes with it; a paid one owes a refund (paid by `payments.refund` after)."""
    if payment is None:
        return []
    if payment.status in ("awaiting_payment", "paying"):
        return [payments.close_step(payment.waybill_id, status="cancelled", now_ms=now_ms)]
    if payment.status == "paid":
        return [payments.refund_step(payment.waybill_id, now_ms=now_ms)]
    return []


def expire_unpaid(*, now_ms, mine_ids=None):
    """Orders not paid in time give their stock back; one paid after all (asked of the provider) is kept."""
    expired = paid = 0
    for mine_id in mine_ids or [m.mine_id for m in catalogue.list_mines()]:
        for payment in payments.due_for_expiry(mine_id, now_ms=now_ms):
            outcome = payments.settle_if_paid(payment, now_ms=now_ms)
            if outcome is not False:
                paid += bool(outcome)  # paid, or the provider could not say: not expired on a guess
                continue
            expired += _expire(payment.waybill_id, now_ms)
    return {"expired": expired, "paid_late": paid}


def _expire(waybill_id, now_ms):
    def build(waybill):
        steps = [_return_step(waybill), payments.close_step(waybill_id, status="expired", now_ms=now_ms)]
        return {"hall_mine_id": None}, steps, None

    try:
        waybills.fresh_transition(
            waybill_id=waybill_id, action="expire_unpaid", actor=_JOBS, now_ms=now_ms, build=build, reason="unpaid"
        )
    except Conflict:
        return 0  # paid or cancelled meanwhile
    return 1


def allocations_at_mine(mine_id):
    """Every shipper's allocations at a mine (the quota plan shares the day's trucks over them)."""
    return store.allocations_at_mine(mine_id)


def list_allocations(*, shipper_id, limit, last_evaluated_key):
    return store.list_allocations(shipper_id, limit=limit, last_evaluated_key=last_evaluated_key)


def grant_allocation(*, shipper_id, mine_id, product_id, kg, now_ms):
    """The sales company records coal a shipper bought at a mine."""
    org = accounts_service.find_org(shipper_id)
    if org is None or org.kind != "shipper":
        raise NotFound("shipper_not_found", "no such shipper", details={"fields": {"shipper_id": ["unknown"]}})
    catalogue.get_product(mine_id, product_id)
    return store.add_allocation(shipper_id=shipper_id, mine_id=mine_id, product_id=product_id, kg=kg, now_ms=now_ms)

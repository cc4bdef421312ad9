"""Self-checks before upload: what provinces reject or flag, caught here and sent to the compliance queue.

Each check takes the facts of one truck's waybill (regfeed.facts.WaybillFacts) and the limits, and returns a
failure `{"check", "reason", "fix"}` or None; `fix` is the PWA screen where a person puts it right.
"""

from backend.accounts import certificates
from backend.common.clock import shanghai_date
from backend.common.geo import haversine_m

# Where each is put right: the carrier's fleet (papers), the command centre (a trip's data), receivables (money).
FLEET, WAYBILL, LEDGER, COMPLIANCE = "#/fleet", "#/command?waybill={id}", "#/receivables", "#/compliance"


def _fail(check, reason, fix):
    return {"check": check, "reason": reason, "fix": fix}


def certificates_valid(f, limits):
    """The truck's, driver's and carrier's papers existed and were valid on the day the truck left."""
    day = shanghai_date(f.departed_at)
    found = [message for _, _, message in certificates.problems(f.vehicle, f.credential, today=day)]
    carrier = f.carrier
    if not carrier.credit_code or not carrier.business_permit_no:
        found.append("the carrier's USCC or 道路运输经营许可证 is missing")
    elif carrier.business_permit_expires and carrier.business_permit_expires < day:
        found.append(f"the carrier's 道路运输经营许可证 expired on {carrier.business_permit_expires}")
    return _fail("certificates", "; ".join(found), FLEET) if found else None


def times_in_order(f, limits):
    """Consignment, departure and receipt in that order, and the receipt before the document is sent."""
    if not (f.waybill.created_at <= f.departed_at < f.received_at <= limits["sent_ms"]):
        return _fail("times", "receipt time is not after departure (or departure before consignment)", WAYBILL)
    return None


def weight_within_rated_load(f, limits):
    """The loaded net weight within the truck's rated load plus the tolerance."""
    allowed = f.vehicle.rated_load_kg * (1 + limits["load_tolerance_pct"] / 100)
    if (f.waybill.net_kg or 0) > allowed:
        return _fail(
            "overweight", f"net {f.waybill.net_kg} kg above rated load {f.vehicle.rated_load_kg} kg + tolerance", FLEET
        )
    return None


def track_without_gaps(f, limits):
    """Terminal fixes in transit never further apart than the limit (departure and receipt count as ends)."""
    times = [f.departed_at] + [at for _, _, at in f.track] + [f.received_at]
    gap = max((b - a for a, b in zip(times, times[1:], strict=False)), default=0)
    if gap > limits["gap_ms"]:
        return _fail("track_gap", f"no position for {gap // 60_000} min in transit", WAYBILL)
    return None


def track_ends_at_fences(f, limits):
    """The first fix near the mine and the last near the destination."""
    if not f.track:
        return _fail("track_ends", "no terminal track in transit", WAYBILL)
    first, last = f.track[0], f.track[-1]
    if haversine_m(first[:2], f.load_point) > limits["near_m"]:
        return _fail("track_ends", "the first fix is not near the mine", WAYBILL)
    if f.unload_point and haversine_m(last[:2], f.unload_point) > limits["near_m"]:
        return _fail("track_ends", "the last fix is not near the destination", WAYBILL)
    return None


def vehicle_not_on_two(f, limits):
    """No other waybill of the same truck overlaps this one in time."""
    for other_id, start, end in f.vehicle_trips:
        if other_id != f.waybill.waybill_id and start < f.received_at and f.departed_at < end:
            return _fail("overlap", f"the truck is also on waybill {other_id} at the same time", WAYBILL)
    return None


def areas_known(f, limits):
    """Both places have a county code."""
    if not f.load_county or not f.unload_county:
        return _fail("area_code", "no GB/T 2260 county code for the mine or the destination", WAYBILL)
    return None


WAYBILL_CHECKS = (
    certificates_valid,
    times_in_order,
    weight_within_rated_load,
    track_without_gaps,
    track_ends_at_fences,
    vehicle_not_on_two,
    areas_known,
)


def fund_flow_matches(f, limits):
    """The payments to the carrier add up to the freight the waybill document declared."""
    paid = sum(p["fen"] for p in f.payments)
    if f.declared_freight_fen is None:
        return _fail("fund_flow", "the waybill document has not been accepted yet", COMPLIANCE)
    if paid != f.declared_freight_fen:
        return _fail("fund_flow", f"paid {paid} fen but the waybill declared {f.declared_freight_fen} fen", LEDGER)
    return None


def run(checks, facts, limits):
    """Every failure of the checks (empty: the document may go)."""
    return [failure for check in checks if (failure := check(facts, limits))]

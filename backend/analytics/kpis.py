"""KPIs defined once: each counter's meaning and source, and the pure rules that turn a change into increments.

KPIS.md (beside this file) is the readable table; `KPIS` below is the same table as code, and the stream
handler (stream.py) and the backfill (service.recompute_day) both count through `waybill_counters` and
`alert_counters`, so a streamed day and a recomputed day cannot disagree by definition.
"""

import json

from backend.common.clock import shanghai_date

# (counter, scopes it is kept for, definition, source event). Scopes: all, mine, shipper, carrier, driver.
PARTY = ("all", "mine", "shipper")
HAUL = ("all", "mine", "shipper", "carrier", "driver")
SITE = ("all", "mine", "driver")  # a booking names its mine and driver, not the companies
WINDOWS = ("all", "mine")
KPIS = (
    ("planned", PARTY, "loads created (the shipper's plan)", "waybills INSERT"),
    ("booked", HAUL, "trucks that booked a gate window", "waybills assigned→booked"),
    ("checked_in", HAUL, "trucks that checked in at the mine's area", "waybills booked→checked_in"),
    ("entered", HAUL, "trucks let through the gate", "waybills →entered"),
    ("loaded", HAUL, "trucks that left the gate loaded", "waybills gross_weighed→released"),
    ("out_kg", HAUL, "net coal out of the gate, kg", "waybills →released: net_kg"),
    (
        "seats_lost",
        HAUL,
        "seats given up: no-show, cancelled or window closed",
        "waybills booked|checked_in|called→assigned",
    ),
    ("held", HAUL, "trucks stopped by an alert", "waybills →held"),
    ("departed", HAUL, "trucks that started the road leg", "waybills released→in_transit"),
    ("in_transit", HAUL, "trucks on the road now (a gauge: +1 in, -1 out)", "waybills into/out of in_transit"),
    ("arrived", HAUL, "arrivals inside the destination fence", "waybills in_transit→arrived"),
    ("delivered", HAUL, "loads delivered (unloaded)", "waybills →unloaded"),
    ("on_time", HAUL, "deliveries on or before the wanted date", "waybills →unloaded, day ≤ wanted_date"),
    ("kgkm", HAUL, "haul work, kg·km (net × road distance)", "waybills →unloaded: net_kg, quote.road_distance_m"),
    ("received_kg", HAUL, "coal the receiver confirmed, kg", "waybills →confirmed: received_kg"),
    ("loss_kg", HAUL, "loss in transit, kg (net out − received)", "waybills →confirmed: net_kg − received_kg"),
    ("fake_plate", ("all", "mine"), "fake-plate alerts raised", "alerts INSERT kind=fake_plate"),
    ("fake_plate_confirmed", ("all", "mine"), "fake-plate alerts confirmed", "alerts open→confirmed"),
    ("fake_plate_cleared", ("all", "mine"), "fake-plate alerts cleared as false", "alerts open→cleared"),
    ("deviations", ("all", "mine"), "route-deviation alerts", "alerts INSERT kind=route_deviation"),
    ("long_stops", ("all", "mine"), "long-stop alerts", "alerts INSERT kind=long_stop"),
    ("gate_ms", HAUL, "time inside the gate (entered, tare and gross weighed), ms", "waybills leaving a gate state"),
    ("capacity_kg", HAUL, "tonnage the loaded trucks were sent for, kg", "waybills →released: tonnage_kg"),
    ("queued", SITE, "trucks that reached the gate after checking in", "bookings active→entered, checked_in_at"),
    ("queue_ms", SITE, "check-in in the area → gate entry, ms summed", "bookings active→entered"),
    ("detention_minutes", SITE, "on-time trucks' wait beyond the free time", "bookings active→entered"),
    ("seats_offered", WINDOWS, "seats in the day's windows (capacity)", "slots INSERT/MODIFY: capacity change"),
    ("seats_taken", WINDOWS, "seats booked in the day's windows", "slots INSERT/MODIFY: booked change"),
)
COUNTERS = tuple(k[0] for k in KPIS)
SCOPES_OF = {k[0]: k[1] for k in KPIS}
# Per (mine, hour) only what the live gate board shows; everything else is per day.
HOURLY = ("entered", "loaded", "out_kg")
# Derived on read (never stored, so never out of step): name -> (numerator, denominator, divisor).
MINUTE_MS = 60_000
RATIOS = {
    "fulfilment": ("delivered", "planned", 1),
    "on_time_rate": ("on_time", "delivered", 1),
    "no_show_rate": ("seats_lost", "booked", 1),
    "loss_rate": ("loss_kg", "out_kg", 1),
    "queue_minutes": ("queue_ms", "queued", MINUTE_MS),
    "gate_turnaround_minutes": ("gate_ms", "loaded", MINUTE_MS),
    "window_use": ("seats_taken", "seats_offered", 1),
    "utilisation": ("out_kg", "capacity_kg", 1),
    "vehicle_ton_output": ("kgkm", "capacity_kg", 1),  # t·km per tonne of rated load sent (= km × utilisation)
}
# Defined by the issue but not aggregated yet (empty: every KPI of the issue is kept).
NOT_YET = ()
# A waybill's time in these states is time inside the gate (a hold is counted as held, not here).
GATE_STATES = ("entered", "tare_weighed", "gross_weighed")

_HOLDS = ("booked", "checked_in", "called")


def _transition(from_state, to_state):
    """Counter -> 1 for one move of a waybill (states only)."""
    moved = {}
    if to_state == "booked" and from_state == "assigned":
        moved["booked"] = 1
    if to_state == "checked_in" and from_state == "booked":
        moved["checked_in"] = 1
    if to_state == "assigned" and from_state in _HOLDS:
        moved["seats_lost"] = 1
    for name in ("entered", "held", "arrived"):
        if to_state == name:
            moved[name] = 1
    if to_state == "released":
        moved["loaded"] = 1
    if to_state == "in_transit":
        moved["departed"] = 1
    if to_state == "unloaded":
        moved["delivered"] = 1
    return moved


def waybill_counters(waybill, from_state, to_state, at, since=None):
    """Counter increments of one waybill move (from_state None = created), from the waybill as it is after it.

    `since` is when the waybill came into `from_state` (the stream's old image's updated_at; the backfill's
    previous history event), so the time spent in a gate state counts when the waybill leaves it.
    """
    if from_state is None:
        return {"planned": 1}
    gate_ms = max(0, at - since) if from_state in GATE_STATES and since is not None else 0
    if from_state == to_state:
        return {"gate_ms": gate_ms} if gate_ms else {}
    counts = _transition(from_state, to_state)
    counts["gate_ms"] = gate_ms
    net = int(waybill.get("net_kg") or 0)
    if to_state == "released":
        counts["out_kg"] = net
        counts["capacity_kg"] = int(waybill.get("tonnage_kg") or 0)
    if (to_state == "in_transit") != (from_state == "in_transit"):
        counts["in_transit"] = 1 if to_state == "in_transit" else -1
    if to_state == "unloaded":
        wanted = waybill.get("wanted_date")
        counts["on_time"] = int(not wanted or shanghai_date(at) <= wanted)
        quote = waybill.get("quote") or {}
        if isinstance(quote, str):  # a stream image holds JSON attributes as their stored text
            quote = json.loads(quote)
        distance = int(quote.get("road_distance_m") or 0)
        counts["kgkm"] = net * distance // 1000
    if to_state == "confirmed" and waybill.get("received_kg") is not None:
        counts["received_kg"] = int(waybill["received_kg"])
        counts["loss_kg"] = max(0, net - int(waybill["received_kg"]))
    return {k: v for k, v in counts.items() if v}


def booking_counters(old, new, free_minutes):
    """Counter increments of one booking change: at gate entry its queue time and detention (settlement's rule:
    a truck that checked in inside its window waits `free_minutes` free), nothing otherwise."""
    if not old or old.get("status") != "active" or new.get("status") != "entered" or not new.get("checked_in_at"):
        return {}
    checked_in, entered = int(new["checked_in_at"]), int(new["updated_at"])
    waited = max(0, entered - checked_in)
    counts = {"queued": 1, "queue_ms": waited}
    if int(new.get("slot_start_ms") or 0) <= checked_in <= int(new.get("slot_end_ms") or 0):
        counts["detention_minutes"] = max(0, waited // MINUTE_MS - free_minutes)
    return {k: v for k, v in counts.items() if v}


def slot_counters(old, new):
    """Counter increments of one window change: the change in its seats and its booked seats (a new window whole)."""
    old = old or {}
    counts = {
        "seats_offered": int(new.get("capacity") or 0) - int(old.get("capacity") or 0),
        "seats_taken": int(new.get("booked") or 0) - int(old.get("booked") or 0),
    }
    return {k: v for k, v in counts.items() if v}


_ALERT_KINDS = {"fake_plate": "fake_plate", "route_deviation": "deviations", "long_stop": "long_stops"}


def alert_counters(old, new):
    """Counter increments of one alert change (old None = raised)."""
    kind = new.get("kind")
    if old is None:
        return {_ALERT_KINDS[kind]: 1} if kind in _ALERT_KINDS else {}
    if kind == "fake_plate" and old.get("status") == "open" and new.get("status") in ("confirmed", "cleared"):
        return {f"fake_plate_{new['status']}": 1}
    return {}


def day_of(at):
    """The Asia/Shanghai day an instant belongs to (what the dispatchers call 'today')."""
    return shanghai_date(at)


def hour_of(at):
    """The Asia/Shanghai hour bucket, 'YYYY-MM-DDTHH'."""
    from datetime import datetime

    from backend.common.clock import SHANGHAI

    return datetime.fromtimestamp(at / 1000, tz=SHANGHAI).strftime("%Y-%m-%dT%H")


def scope_keys(record):
    """{scope kind: scope key} a change counts for: the whole network, its mine, shipper, carrier, driver."""
    keys = {"all": "all"}
    for kind, field in (
        ("mine", "mine_id"),
        ("shipper", "shipper_id"),
        ("carrier", "carrier_id"),
        ("driver", "driver_id"),
    ):
        if record.get(field):
            keys[kind] = f"{kind}#{record[field]}"
    return keys


def increments(record, counts, at):
    """[((scope_key, period), {counter: n})] for one change: per day in each scope, per hour for all and mine."""
    out = []
    day, hour = day_of(at), hour_of(at)
    for kind, key in scope_keys(record).items():
        mine_counts = {c: n for c, n in counts.items() if kind in SCOPES_OF[c]}
        if not mine_counts:
            continue
        out.append(((key, f"d#{day}"), mine_counts))
        if "in_transit" in mine_counts:
            out.append(((key, "live"), {"in_transit": mine_counts["in_transit"]}))
        hourly = {c: n for c, n in mine_counts.items() if c in HOURLY}
        if hourly and kind in ("all", "mine"):
            out.append(((key, f"h#{hour}"), hourly))
    return out


def merge(pairs):
    """Sum increments by item: {(scope_key, period): {counter: n}}."""
    merged = {}
    for key, counts in pairs:
        into = merged.setdefault(key, {})
        for name, n in counts.items():
            into[name] = into.get(name, 0) + n
    return merged

"""A delivered truckload with its track, moved through the real transitions, and a job runner for the feed."""

import time

from backend import events
from backend.common.clock import now_ms
from backend.ledger import service as ledger
from backend.regfeed import service as regfeed
from backend.regfeed import store as regfeed_store
from backend.settlement import service as settlement
from backend.tracking import store as tracking_store
from backend.waybills import service as waybills
from tests.orders.helpers import make_mine
from tests.tracking.conftest import MINE_GATE, SITE, make_waybill, towards

MIN = 60_000
SYSTEM = waybills.SystemActor("test", role="dispatcher")


def delivered(*, fixes_every_min=5, fixes=True, net_kg=33_500, settle=True, start=None, vehicle=None, **overrides):
    """A truck that left the mine, drove with its terminal on, was unloaded and confirmed (and settled)."""
    # A mine of its own (at the demo mine's gate), so the job runs over this test's documents only.
    overrides.setdefault("mine_id", make_mine(gate=MINE_GATE))
    world = make_waybill(state="released", net_kg=net_kg, price_fen_per_t=62_000, freight_fen_per_t=4200,
                         **({"vehicle_id": vehicle.vehicle_id, "plate": vehicle.plate} if vehicle else {}),
                         **overrides)  # fmt: skip
    wid, vid = world["waybill"].waybill_id, (vehicle or world["vehicle"]).vehicle_id
    t = start or now_ms() + MIN
    ledger.set_credit_limit(world["shipper_org"].org_id, 100_000_000, mine_id=world["waybill"].mine_id)
    move = lambda action, at, **kw: waybills.transition(waybill_id=wid, action=action, actor=SYSTEM, now_ms=at, **kw)  # noqa: E731
    move("depart", t, where={"type": "Point", "coordinates": list(MINE_GATE)})
    if fixes:
        track = [towards(MINE_GATE, SITE, i / 12) for i in range(13)]
        points = [dict(lon=lon, lat=lat, at_ms=t + MIN + i * fixes_every_min * MIN, vehicle_id=vid, source="terminal")
                  for i, (lon, lat) in enumerate(track)]  # fmt: skip
        tracking_store.write_fixes(points, retention_days=30)
    end = t + 2 * MIN + 12 * fixes_every_min * MIN
    move("unload", end, where={"type": "Point", "coordinates": list(SITE)})
    confirmed = move("confirm", end + MIN, where={"type": "Point", "coordinates": list(SITE)})
    events.publish("delivery_confirmed", waybill_id=wid, now_ms=end + MIN, waybill=confirmed)
    if settle:
        settlement.settle(waybill_id=wid, now_ms=end + 2 * MIN)
    world.update(waybill_id=wid, done_at=end + 2 * MIN, mine_id=overrides["mine_id"])
    return world


def doc(kind, subject_id):
    return regfeed_store.get(regfeed.doc_id(kind, subject_id))


def run_until(adapter, ids, states, *, now, mines, deadline_s=20):
    """Run the job over `mines` (virtual clock a minute further each time) until every document is in `states`."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        regfeed.run(now_ms=now, adapter=adapter, mine_ids=mines)
        found = {i: regfeed_store.get(i) for i in ids}
        if all(d is not None and d.state in states for d in found.values()):
            return found, now
        now += MIN
        time.sleep(0.05)  # the province decides on its own thread: give it a moment before asking again
    raise AssertionError({i: d and d.state for i, d in found.items()})

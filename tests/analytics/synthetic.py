"""A synthetic day at a fresh mine: loads created, moved through the gate and the road, alerts raised and resolved."""

import random

from backend.common.access import Principal
from backend.common.clock import shanghai_midnight_ms
from tests.builders import random_ref

PATH = [
    ("assign", lambda w: {"carrier_id": w["carrier"], "driver_id": w["driver"], "vehicle_id": random_ref("veh")}),
    ("book", None),
    ("check_in", None),
    ("call", None),
    ("enter", None),
    ("weigh_tare", lambda w: {"tare_kg": 15000}),
    ("weigh_gross", lambda w: {"gross_kg": 15000 + w["net"], "net_kg": w["net"]}),
    ("release", None),
    ("depart", None),
    ("arrive", None),
    ("unload", None),
    ("confirm", lambda w: {"received_kg": w["net"] - w["loss"]}),
]
ACTOR = Principal(user_id="synthetic", role="dispatcher")


def make_day(day, *, loads=12, seed=7):
    """Write one day's records through the real services; returns {"mine_id", "shipper_id", "carriers"}."""
    from backend.alerts import service as alerts
    from backend.db import transaction
    from backend.waybills import service as waybills

    rng = random.Random(seed)
    start = shanghai_midnight_ms(day) + 6 * 3600 * 1000
    mine_id, shipper_id = random_ref("mine"), random_ref("shp")
    carriers = [random_ref("car") for _ in range(2)]
    for n in range(loads):
        at = start + n * 20 * 60 * 1000
        facts = {
            "carrier": rng.choice(carriers),
            "driver": random_ref("drv"),
            "net": rng.randint(28000, 34000),
            "loss": rng.randint(0, 120),
        }
        waybill_id = random_ref("wb")
        record = waybills.new_waybill(
            waybill_id,
            state="open",
            mine_id=mine_id,
            product_id="p1",
            tonnage_kg=32000,
            shipper_id=shipper_id,
            wanted_date=day if n % 3 else "2000-01-01",  # every third is late
            quote={"road_distance_m": 85000 + n * 1000},
            created_at=at,
            updated_at=at,
        )
        with transaction() as tx:
            waybills.create_step(record)(tx)
        steps = PATH[: rng.randint(3, len(PATH))] if n % 4 else PATH[:2] + [("cancel_booking", None)]
        for i, (action, changes) in enumerate(steps, start=1):
            waybills.transition(
                waybill_id=waybill_id,
                action=action,
                actor=ACTOR,
                now_ms=at + i * 60 * 1000,
                changes=changes(facts) if changes else None,
            )
    plates = [
        alerts.raise_alert(kind="fake_plate", mine_id=mine_id, reason="plate", actor=ACTOR, now_ms=start + k)
        for k in range(3)
    ]
    alerts.raise_alert(kind="long_stop", mine_id=mine_id, reason="stop", actor=ACTOR, now_ms=start + 9)
    alerts.resolve(principal=ACTOR, alert_id=plates[0].alert_id, outcome="cleared", reason="misread", now_ms=start + 50)
    return {"mine_id": mine_id, "shipper_id": shipper_id, "carriers": carriers}

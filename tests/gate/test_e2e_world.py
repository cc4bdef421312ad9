"""A small generated world fed through the public device API scores exactly as the offline model scores it.

Sightings of one world mine are replayed at the demo 红柳林 gate: each plate's registered truck is
registered, its terminal's fixes are forwarded as Traccar positions (signed gps_gateway), the
booking is made when the world says so, and the camera posts the signed read. The features the API
stores must equal ``compute_features`` on the same facts, and its score the native booster's.
"""

import math
from datetime import UTC, datetime

import lightgbm as lgb
import numpy as np
import pytest

from backend.gate import places
from backend.gate import store as gate_store
from backend.risk import model as risk_model
from backend.risk.features import FEATURE_NAMES, compute_features, to_row
from backend.seed.geo import offset
from ml_models.fake_plate.world import WorldConfig, generate_world
from tests.gate.helpers import HLL_GATE, SignedDevice, Truck

WORLD_GATE = "hongliulin_gate"
ROWS = 14
TOLERANCE = 1e-5


def _pick(world):
    """The first sighting of each plate at one world gate, clones first: no history the API lacks."""
    seen, picked = set(), []
    records = [r for r in world.records if r["gate_id"] == WORLD_GATE]
    for record in sorted(records, key=lambda r: (-r["label"], r["ts"])):
        if record["plate"] not in seen and record["resolved_from"] is None:
            seen.add(record["plate"])
            picked.append(record)
    clones = [r for r in picked if r["label"]][: ROWS // 2]
    return clones + [r for r in picked if not r["label"]][: ROWS - len(clones)]


def _moved(lonlat, world_gate):
    """A world position re-based from the world's gate to the demo gate (same offset in metres)."""
    east = (lonlat[0] - world_gate[0]) * 111_320 * math.cos(math.radians(world_gate[1]))
    north = (lonlat[1] - world_gate[1]) * 110_574
    # Terminals report (and tracking stores) six decimals.
    return [round(v, 6) for v in offset(HLL_GATE[0], HLL_GATE[1], east, north)]


def _iso(ms):
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


class Replay:
    """One world record replayed through the API, and the offline inputs of the same facts."""

    def __init__(self, record, world, gate, gateway, client, at):
        self.record, self.at = record, at
        inputs = record["inputs"]
        reg = inputs["registered_vehicle"]
        shift = at - record["ts"]
        self.truck = Truck(
            plate=reg["plate"],
            plate_color=reg["plate_colour"],
            body_color=reg["vehicle_colour"],
            vehicle_type=reg["vehicle_type"],
            tare_kg=reg["tare_kg"],
            **({} if inputs["has_terminal"] else {"terminal_id": None}),
        )
        self.fixes = {}
        for name in ("prior_fix", "last_fix"):
            fix = inputs[name]
            if fix:
                self.fixes[name] = {"ts": fix["ts"] + shift, "lonlat": _moved(fix["lonlat"], world.sites[0].lonlat)}
                self._forward(gateway, client, self.fixes[name])
        if inputs["active_waybill_at_mine"]:
            self.truck.waybill(state="checked_in")  # booked here, not called: the read enters nothing
        self.sighting = dict(inputs["sighting"], ts=at, tare_kg=None)

    def _forward(self, gateway, client, fix):
        body = {
            "device": {"uniqueId": self.truck.vehicle.terminal_id},
            "position": {"latitude": fix["lonlat"][1], "longitude": fix["lonlat"][0], "fixTime": _iso(fix["ts"])},
        }
        assert gateway.post(client, "/api/tracking/traccar", body).status_code == 200

    def post(self, gate, client):
        s = self.sighting
        body = {"plate_color": s["plate_colour"], "confidence": s["confidence"], "at": self.at}
        body |= {k: v for k, v in (("vehicle_color", s["vehicle_colour"]), ("vehicle_type", s["vehicle_type"])) if v}
        reply = gate.read(client, s["plate"], **body)
        assert reply.status_code == 201, reply.json
        return reply.json["sighting"]

    def offline_features(self):
        inputs = self.record["inputs"]
        return compute_features(
            sighting=self.sighting,
            registered_vehicle=inputs["registered_vehicle"],
            last_fix=self.fixes.get("last_fix"),
            prior_fix=self.fixes.get("prior_fix"),
            has_terminal=inputs["has_terminal"],
            previous_sighting=None,
            recent_sightings=[],
            recent_tares=[],
            lookalike_nearby=False,
            active_waybill_at_mine=inputs["active_waybill_at_mine"],
            gate=places.gate_point("mine_hll"),  # the mine's own point, as the API reads it
        )


@pytest.fixture(scope="module")
def world():
    return generate_world(515, WorldConfig(n_trucks=300, days=1))


def _same(stored, offline):
    if offline is None or (isinstance(offline, float) and math.isnan(offline)):
        return stored is None
    return stored == pytest.approx(offline, rel=1e-6, abs=1e-6)


def test_api_scores_a_generated_world_as_the_offline_model_does(gate, client, world):
    from backend.common.clock import now_ms

    gateway = SignedDevice("gps_gateway")
    booster = lgb.Booster(model_file=str(risk_model.DEFAULT_MODEL_PATH.parent / "model.txt"))
    records = _pick(world)
    assert any(r["label"] for r in records) and any(not r["label"] for r in records)
    start = now_ms() - 10 * 60_000
    decisions, with_fix = [], 0
    for i, record in enumerate(records):
        replay = Replay(record, world, gate, gateway, client, at=start + i * 20_000)
        stored = replay.post(gate, client)
        features = gate_store.get_sighting(stored["id"]).features  # internal: not in the reply
        offline = replay.offline_features()
        mismatched = [n for n in FEATURE_NAMES if not _same(features.get(n), offline[n])]
        assert not mismatched, (record["plate"], {n: (features.get(n), offline[n]) for n in mismatched})
        native = booster.predict(np.asarray([to_row(offline)], dtype=np.float32).astype(np.float64))[0]
        assert stored["score"] == pytest.approx(native, abs=TOLERANCE)
        assert (stored["decision"] == "alert") == (native >= risk_model.threshold() or bool(stored["rules"]))
        decisions.append(stored["decision"])
        with_fix += "last_fix" in replay.fixes
    assert {"alert", "pass"} <= set(decisions) and 0 < with_fix < len(records)

"""A small generated world fed through the public device API scores exactly as the offline model scores it.

Sightings of one world mine are replayed at a gate (the demo 红柳林, or a site an admin onboards
through the API with devices registered on its lanes): each plate's registered truck is registered,
its terminal's fixes are forwarded as Traccar positions (signed gps_gateway), its earlier empty
weighings are posted by a signed weighbridge, the booking is made when the world says so, and the
camera posts the signed read. The features the API stores must equal ``compute_features`` on the
same facts, and its score the native booster's.
"""

import math
from datetime import UTC, datetime
from types import SimpleNamespace

import lightgbm as lgb
import numpy as np
import pytest

from backend.gate import places
from backend.gate import store as gate_store
from backend.risk import model as risk_model
from backend.risk.features import FEATURE_NAMES, compute_features, to_row
from backend.seed.geo import offset, rectangle
from ml_models.fake_plate.world import WorldConfig, generate_world
from tests.builders import headers_for, make_user, random_ref
from tests.catalogue.sites import onboard, site_body
from tests.gate.helpers import HLL_GATE, Gate, SignedDevice, Truck

WORLD_GATE = "hongliulin_gate"
ROWS = 14
ROWS_ONBOARDED = 12  # a dozen trucks keeps the onboarded replay (about 3 weighings each) short
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


def _moved(lonlat, world_gate, to=HLL_GATE):
    """A world position re-based from the world's gate to the replay gate (same offset in metres)."""
    east = (lonlat[0] - world_gate[0]) * 111_320 * math.cos(math.radians(world_gate[1]))
    north = (lonlat[1] - world_gate[1]) * 110_574
    # Terminals report (and tracking stores) six decimals.
    return [round(v, 6) for v in offset(to[0], to[1], east, north)]


def _iso(ms):
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


class Replay:
    """One world record replayed through the API, and the offline inputs of the same facts."""

    def __init__(self, record, world, gateway, client, at, *, site=("mine_hll", HLL_GATE), weighbridge=None):
        self.record, self.at, self.site_id = record, at, site[0]
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
                lonlat = _moved(fix["lonlat"], world.sites[0].lonlat, site[1])
                self.fixes[name] = {"ts": fix["ts"] + shift, "lonlat": lonlat}
                self._forward(gateway, client, self.fixes[name])
        # The world's earlier empty weighings of this plate (elsewhere), posted before the read they inform.
        self.tares = list(inputs["recent_tares"]) if weighbridge else []
        for kg in self.tares:
            self._weigh(weighbridge, client, kg)
        if inputs["active_waybill_at_mine"]:
            self.truck.waybill(state="checked_in", mine_id=self.site_id)  # booked here, not called: enters nothing
        self.sighting = dict(inputs["sighting"], ts=at, tare_kg=None)

    def _weigh(self, weighbridge, client, kg):
        waybill = self.truck.waybill(state="entered", mine_id=weighbridge.mine_id)
        reply = weighbridge.weigh(client, waybill, kg)
        assert reply.status_code == 200 and reply.json["ticket"]["kind"] == "tare", reply.json

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
            recent_tares=self.tares,
            lookalike_nearby=False,
            active_waybill_at_mine=inputs["active_waybill_at_mine"],
            gate=places.gate_point(self.site_id),  # the site's own point, as the API reads it
        )


@pytest.fixture(scope="module")
def world():
    return generate_world(515, WorldConfig(n_trucks=300, days=1))


@pytest.fixture(scope="module")
def other_world():
    """Another world of the same family: its plates are not the first world's, which that test registered."""
    return generate_world(517, WorldConfig(n_trucks=300, days=1))


def _same(stored, offline):
    if offline is None or (isinstance(offline, float) and math.isnan(offline)):
        return stored is None
    return stored == pytest.approx(offline, rel=1e-6, abs=1e-6)


def _replay_and_check(records, world, gate, client, **site):
    """Replay the records through the API at `gate`; each stored row and score must match the offline model."""
    from backend.common.clock import now_ms

    gateway = SignedDevice("gps_gateway")
    booster = lgb.Booster(model_file=str(risk_model.DEFAULT_MODEL_PATH.parent / "model.txt"))
    assert any(r["label"] for r in records) and any(not r["label"] for r in records)
    start = now_ms() - 10 * 60_000
    decisions, with_fix, replays = [], 0, []
    for i, record in enumerate(records):
        replay = Replay(record, world, gateway, client, at=start + i * 20_000, **site)
        stored = replay.post(gate, client)
        features = replay.stored = gate_store.get_sighting(stored["id"]).features  # internal: not in the reply
        offline = replay.offline_features()
        mismatched = [n for n in FEATURE_NAMES if not _same(features.get(n), offline[n])]
        assert not mismatched, (record["plate"], {n: (features.get(n), offline[n]) for n in mismatched})
        native = booster.predict(np.asarray([to_row(offline)], dtype=np.float32).astype(np.float64))[0]
        assert stored["score"] == pytest.approx(native, abs=TOLERANCE)
        assert (stored["decision"] == "alert") == (native >= risk_model.threshold() or bool(stored["rules"]))
        decisions.append(stored["decision"])
        with_fix += "last_fix" in replay.fixes
        replays.append(replay)
    assert {"alert", "pass"} <= set(decisions) and 0 < with_fix < len(records)
    return replays


def test_api_scores_a_generated_world_as_the_offline_model_does(gate, client, world):
    _replay_and_check(_pick(world), world, gate, client)


def _onboarded(client, admin, point, kinds):
    """A mine onboarded by an admin (POST /api/sites) at `point`, its devices registered on lane 1 by the admin."""
    lon, lat = point
    body = site_body(
        id=random_ref("e2e"),
        location={"type": "Point", "coordinates": [lon, lat]},
        gate_fence=rectangle(lon, lat, 400, 250),
        parking_fence=rectangle(*offset(lon, lat, -1500, -900), 300, 200),
    )
    reply = onboard(client, body, user=admin)
    assert reply.status_code == 201, reply.json
    site = Gate.__new__(Gate)  # the helper's verbs, with devices the public API registered
    site.mine_id, site.lane, site.point = body["id"], "1", (lon, lat)
    for attr, kind in kinds.items():
        device = {"kind": kind, "name": f"e2e {kind}", "mine_id": site.mine_id, "lane_id": "1"}
        reply = client.post("/api/admin/devices", json=device, headers=headers_for(admin))
        assert reply.status_code == 201, reply.json
        signer = SignedDevice.__new__(SignedDevice)
        signer.device, signer.key = SimpleNamespace(device_id=reply.json["id"]), reply.json["key"]
        setattr(site, attr, signer)
    return site


def test_an_onboarded_site_with_weighings_scores_a_world_as_the_offline_model_does(ctx, client, other_world):
    admin = make_user("admin")
    # A site of its own 30 km from the demo mine, so no other test's reads or fences touch it; the
    # trucks' earlier empty weighings happened at a second onboarded mine (as the world's trucks
    # weighed at other mines), which leaves no waybill of theirs active at the replayed gate.
    gate = _onboarded(
        client,
        admin,
        offset(HLL_GATE[0], HLL_GATE[1], 0, 30_000),
        {"camera": "camera", "scanner": "qr_scanner", "bridge": "weighbridge"},
    )
    elsewhere = _onboarded(client, admin, offset(HLL_GATE[0], HLL_GATE[1], 25_000, 30_000), {"bridge": "weighbridge"})
    records = _pick(other_world)[:ROWS_ONBOARDED]
    replays = _replay_and_check(
        records, other_world, gate, client, site=(gate.mine_id, gate.point), weighbridge=elsewhere
    )
    weighed = [r for r in replays if r.tares]
    # The weighings reached the features: the plate's tare history against the registry is known.
    assert len(weighed) >= len(records) // 2
    assert all(r.stored["tare_history_closest_kg"] is not None for r in weighed)

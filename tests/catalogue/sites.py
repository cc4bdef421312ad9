"""Builders for site onboarding tests: a valid site body (random id), posted through the API."""

from backend.seed.geo import offset, rectangle
from tests.builders import headers_for, make_user, random_ref

GATE = (110.3302, 38.9326)


def site_body(**overrides):
    """A mine with lane 1 in, lane 2 out, its two fences, one product and a 30-minute template."""
    lon, lat = GATE
    body = {
        "id": random_ref("site"),
        "kind": "mine",
        "name": "新建煤矿",
        "name_en": "New mine",
        "location": {"type": "Point", "coordinates": [lon, lat]},
        "gate_fence": rectangle(lon, lat, 400, 250),
        "parking_fence": rectangle(*offset(lon, lat, -1500, -900), 300, 200),
        "lanes": [
            {"id": "1", "name": "1号道 进", "name_en": "Lane 1 in", "direction": "in"},
            {"id": "2", "name": "2号道 出", "name_en": "Lane 2 out", "direction": "out"},
        ],
        "products": [
            {
                "id": "raw",
                "name": "原煤",
                "name_en": "Raw coal",
                "price_fen_per_t": 61000,
                "plan_kg": 0,
                "inventory_kg": 5_000_000,
            }
        ],
        "window_minutes": 30,
        "day_start_hour": 8,
        "day_end_hour": 20,
        "loading_lanes": 2,
        "trucks_per_lane_hour": 6,
    }
    body.update(overrides)
    return body


def onboard(client, body=None, *, user=None):
    """POST /api/sites as an admin (or `user`); returns the reply."""
    return client.post("/api/sites", json=body or site_body(), headers=headers_for(user or make_user("admin")))

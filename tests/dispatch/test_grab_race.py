"""200 drivers press 'grab' on one load at once against DynamoDB Local: exactly one wins."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.waybills import store as waybill_store
from tests.builders import headers_for, make_org, make_user
from tests.orders.helpers import make_mine, place_bulk, place_retail, shipper_with_allocation

RACERS = 200


def _crews(n):
    from tests.builders import make_vehicle

    carrier = make_org("carrier").org_id
    return [(headers_for(make_user("driver", org_id=carrier)), make_vehicle(carrier).vehicle_id) for _ in range(n)]


def _race(app, waybill_id, crews):
    def press(crew):
        headers, vehicle_id = crew
        with app.test_client() as client:
            reply = client.post(f"/api/hall/{waybill_id}/grab", json={"vehicle_id": vehicle_id}, headers=headers)
            return reply.status_code, (reply.json or {}).get("error", {}).get("code")

    with ThreadPoolExecutor(max_workers=48) as pool:
        return list(pool.map(press, crews))


@pytest.mark.slow
def test_200_simultaneous_grabs_give_one_winner_and_199_clean_409s(app, client):
    load = place_retail(client, make_user("buyer"), make_mine()).json
    results = _race(app, load["id"], _crews(RACERS))
    assert sum(1 for status, _ in results if status == 200) == 1
    assert sum(1 for status, _ in results if status == 409) == RACERS - 1
    waybill = waybill_store.get(load["id"])
    assert waybill.state == "assigned" and waybill.version == 1 and waybill.hall_mine_id is None


@pytest.mark.slow
def test_racing_for_a_shippers_loads_never_overruns_its_quota(app, client):
    mine = make_mine(inventory_kg=34_000 * 3)  # 3 trucks of capacity today
    shipper = shipper_with_allocation(mine, 34_000 * 6)
    loads = place_bulk(client, shipper, mine, 6, freight_fen_per_t=4000).json["items"]
    crews = _crews(24)
    jobs = [(load["id"], crew) for load, crew in zip(loads * 4, crews)]

    def press(job):
        waybill_id, (headers, vehicle_id) = job
        with app.test_client() as c:
            return c.post(f"/api/hall/{waybill_id}/grab", json={"vehicle_id": vehicle_id}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(press, jobs))
    assert statuses.count(200) == 3 and statuses.count(409) == 21
    assert sum(waybill_store.get(load["id"]).state == "assigned" for load in loads) == 3

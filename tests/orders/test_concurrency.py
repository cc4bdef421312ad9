"""Inventory and allocations never go below zero, however many order at once."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.builders import headers_for, make_user
from tests.orders.helpers import make_mine, product, retail_body, shipper_with_allocation


def _post_all(app, path, bodies_and_headers, workers=25):
    def post(item):
        body, headers = item
        with app.test_client() as client:
            reply = client.post(path, json=body, headers=headers)
            return reply.status_code, (reply.json or {}).get("error", {}).get("code")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(post, bodies_and_headers))


@pytest.mark.slow
def test_50_concurrent_orders_for_more_than_is_available_never_oversell(app):
    mine = make_mine(inventory_kg=30_000 * 7 + 10_000)  # room for exactly 7 orders of 30 t
    jobs = [(retail_body(mine, 30_000), headers_for(make_user("buyer"))) for _ in range(50)]
    results = _post_all(app, "/api/orders/retail", jobs)
    assert [s for s, _ in results].count(201) == 7
    assert all(code == "out_of_stock" for s, code in results if s != 201)
    stock = product(mine)
    assert (stock.reserved_kg, stock.available_kg) == (210_000, 10_000)


@pytest.mark.slow
def test_concurrent_bulk_orders_never_overdraw_the_allocation(app):
    mine = make_mine()
    shipper = shipper_with_allocation(mine, 34_000 * 10)
    jobs = [(dict(retail_body(mine, 34_000), trucks=3), headers_for(shipper)) for _ in range(12)]
    results = _post_all(app, "/api/orders/bulk", jobs, workers=12)
    assert [s for s, _ in results].count(201) == 3
    assert all(code == "allocation_exhausted" for s, code in results if s != 201)
    from backend.orders import store

    assert store.get_allocation(shipper.org_id, mine, "raw").remaining_kg == 34_000

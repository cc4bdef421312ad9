"""Builders for the order and dispatch tests: a fresh mine per test, drivers with trucks, orders over HTTP."""

from backend.catalogue.models import Mine, Product
from backend.common.clock import now_ms
from backend.orders import store as orders_store
from backend.seed.geo import rectangle
from tests.builders import headers_for, make_org, make_user, make_vehicle, random_ref

GATE = (110.3302, 38.9326)
SITE = {"address": "神木市 测试砖厂", "point": {"type": "Point", "coordinates": [110.2650, 39.2660]}}


def make_mine(*, inventory_kg=10_000_000, plan_kg=0, price=60000, avg_load_kg=34_000, gate=GATE, sales_org_id=None):
    """A mine of its own with one product ("raw"), so counters start from known values."""
    mine_id = random_ref("mine")
    Mine(
        mine_id,
        name="测试煤矿",
        name_en="Test mine",
        location={"type": "Point", "coordinates": list(gate)},
        gate_fence=rectangle(*gate, 400, 250),
        parking_fence=rectangle(*gate, 300, 200),
        avg_truck_load_kg=avg_load_kg,
        sales_org_id=sales_org_id,
        created_at=now_ms(),
        updated_at=now_ms(),
    ).save()
    Product(
        mine_id,
        "raw",
        name="原煤",
        name_en="Raw coal",
        price_fen_per_t=price,
        plan_kg=plan_kg,
        inventory_kg=inventory_kg,
        reserved_kg=0,
        available_kg=inventory_kg,
        updated_at=now_ms(),
    ).save()
    return mine_id


def product(mine_id):
    return Product.get(mine_id, "raw", consistent_read=True)


def driver_with_truck(carrier_id=None, **vehicle):
    """A driver of a carrier (a new one unless named) and one fitting truck of that carrier."""
    carrier_id = carrier_id or make_org("carrier").org_id
    return make_user("driver", org_id=carrier_id), make_vehicle(carrier_id, **vehicle)


def shipper_with_allocation(mine_id, kg):
    """A shipper company, one of its staff, and an allocation of kg at the mine."""
    org = make_org("shipper")
    orders_store.add_allocation(shipper_id=org.org_id, mine_id=mine_id, product_id="raw", kg=kg, now_ms=now_ms())
    return make_user("shipper", org_id=org.org_id)


def retail_body(mine_id, tonnage_kg=30_000, **extra):
    return dict(mine_id=mine_id, product_id="raw", tonnage_kg=tonnage_kg, destination=SITE, **extra)


def place_retail(client, buyer, mine_id, tonnage_kg=30_000, **extra):
    return client.post("/api/orders/retail", json=retail_body(mine_id, tonnage_kg, **extra), headers=headers_for(buyer))


def place_bulk(client, shipper, mine_id, trucks, tonnage_kg=34_000, **extra):
    body = dict(retail_body(mine_id, tonnage_kg), trucks=trucks, **extra)
    return client.post("/api/orders/bulk", json=body, headers=headers_for(shipper))


def grab(client, driver, vehicle, waybill_id):
    return client.post(
        f"/api/hall/{waybill_id}/grab", json={"vehicle_id": vehicle.vehicle_id}, headers=headers_for(driver)
    )

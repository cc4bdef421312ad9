"""Demo orders: shippers' allocations, a few open loads in the hall, one entrusted load per carrier.

Fixed ids; each record is skipped when present, so loading twice changes nothing.
"""

from pynamodb.exceptions import UpdateError

from backend.catalogue import store as catalogue_store
from backend.catalogue.models import Product
from backend.orders import store as orders_store
from backend.seed import demo_data
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill

# (shipper, mine, product, purchased kg)
ALLOCATIONS = [
    ("org_shp_yl", "mine_hll", "raw", 3_400_000),
    ("org_shp_yl", "mine_ntt", "lump", 1_700_000),
    ("org_shp_sm", "mine_hll", "raw", 2_040_000),
    ("org_shp_sm", "mine_xbd", "mixed", 1_320_000),
    ("org_shp_fg", "mine_ntt", "lump", 680_000),
    ("org_shp_fg", "mine_xbd", "washed_lump", 990_000),
]
SITES = [
    ("神木市大柳塔镇 兴旺砖厂", 110.2650, 39.2660),
    ("榆林市榆阳区 东沙热电厂", 109.7800, 38.2850),
    ("府谷县 新民镇 鑫源洗煤厂", 110.9000, 39.0300),
]
# (waybill id, shipper, mine, product, tonnage kg, freight fen per t or None, carrier or None, site)
DEMO_MINE_IDS = [mine["mine_id"] for mine in demo_data.MINES]
LOADS = [
    ("wb_demo_hall_1", "org_shp_yl", "mine_hll", "raw", 34_000, 4200, None, 0),
    ("wb_demo_hall_2", "org_shp_sm", "mine_hll", "raw", 33_000, 4000, None, 1),
    ("wb_demo_hall_3", "org_shp_fg", "mine_xbd", "washed_lump", 32_000, 5600, None, 2),
    ("wb_demo_hall_4", "org_shp_yl", "mine_ntt", "lump", 30_000, 3800, None, 0),
    ("wb_demo_ent_sd", "org_shp_yl", "mine_hll", "raw", 33_000, None, "org_car_sd", 1),
    ("wb_demo_ent_jx", "org_shp_sm", "mine_xbd", "mixed", 33_000, None, "org_car_jx", 2),
]


def _backfill_products():
    # Only the demo mines: the demo loader must never touch records users created since.
    for mine_id in DEMO_MINE_IDS:
        for product in Product.query(mine_id):
            if product.available_kg is None:
                catalogue_store.backfill_available(product)


def _allocations(now_ms):
    for shipper, mine, product, kg in ALLOCATIONS:
        if orders_store.get_allocation(shipper, mine, product) is None:
            orders_store.add_allocation(shipper_id=shipper, mine_id=mine, product_id=product, kg=kg, now_ms=now_ms)


def _load(row, now_ms):
    waybill_id, shipper, mine, product_id, tonnage, freight, carrier, site = row
    address, lon, lat = SITES[site]
    product = catalogue_store.get_product(mine, product_id)
    return Waybill(
        waybill_id,
        state="open",
        version=0,
        order_id=f"ord_demo_{waybill_id[8:]}",
        mine_id=mine,
        product_id=product_id,
        tonnage_kg=tonnage,
        price_fen_per_t=product.price_fen_per_t,
        freight_fen_per_t=freight,
        shipper_id=shipper,
        carrier_id=carrier,
        entrust_status="pending" if carrier else None,
        hall_mine_id=None if carrier else mine,
        destination={"address": address, "point": {"type": "Point", "coordinates": [lon, lat]}},
        created_at=now_ms,
        updated_at=now_ms,
        kind="bulk",
        ordered_by="seed",
    )


def _sell_retail():
    """Demo buyers' orders placed before retail orders had a shipper go to their mine's selling shipper, once.

    Reads only the demo buyers' orders (the demo loader must never touch records users created since).
    """
    sellers = {m["mine_id"]: m["sales_org"] for m in demo_data.MINES}
    buyers = [user_id for user_id, _, _, role, _, _ in demo_data.USERS if role == "buyer"]
    for buyer_id in buyers:
        for key in Waybill.by_buyer.query(buyer_id):
            waybill = Waybill.get(key.waybill_id)
            if waybill.kind != "retail" or waybill.shipper_id or waybill.mine_id not in sellers:
                continue
            try:
                waybill.update(
                    actions=[Waybill.shipper_id.set(sellers[waybill.mine_id])],
                    condition=Waybill.shipper_id.does_not_exist(),
                )
            except UpdateError:
                pass  # given a shipper meanwhile


def load_orders(now_ms):
    """Allocations, hall loads and entrusted loads for the demo shippers and carriers."""
    _backfill_products()
    _allocations(now_ms)
    _sell_retail()
    for row in LOADS:
        if waybill_store.get(row[0]) is None:
            load = _load(row, now_ms)
            orders_store.create_bulk(
                [load],
                create_steps=[waybill_store.create_op(load)],
                shipper_id=row[1],
                mine_id=row[2],
                product_id=row[3],
                now_ms=now_ms,
            )

"""Sites (mines, plants, rail yards) and their products."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model

DIRECTORY = "mines"


class MineDirectory(GlobalSecondaryIndex):
    """Every mine under one key, so the catalogue is a Query, never a Scan."""

    class Meta:
        index_name = "directory"
        projection = AllProjection()

    directory = UnicodeAttribute(hash_key=True)
    mine_id = UnicodeAttribute(range_key=True)


class Mine(Model):
    """A site (coal mine, plant or rail yard) with its gate and its outside parking lot (GeoJSON polygons, [lon, lat]).

    Still named Mine (and mine_id) because every other domain keys its records by it; `kind` says which site.
    """

    class Meta:
        table_name = "mines"

    mine_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    name_en = UnicodeAttribute()
    location = JSONAttribute()  # GeoJSON Point of the weighbridge gate
    gate_fence = JSONAttribute()  # GeoJSON Polygon: the check-in area at the gate
    parking_fence = JSONAttribute()  # GeoJSON Polygon: where called trucks wait
    avg_truck_load_kg = NumberAttribute(default=35000)
    loading_lanes = NumberAttribute(default=4)
    trucks_per_lane_hour = NumberAttribute(default=6)
    parking_drive_minutes = NumberAttribute(default=10)
    kind = UnicodeAttribute(default="mine")  # mine | plant | rail_yard (records from before sites were mines)
    # Gate lanes [{"id", "name", "name_en", "direction": in|out|both}]: devices are registered on one of them.
    lanes = JSONAttribute(null=True)
    # The slot template beside loading_lanes and trucks_per_lane_hour; None = the deployment's SLOT_* setting.
    window_minutes = NumberAttribute(null=True)
    day_start_hour = NumberAttribute(null=True)
    day_end_hour = NumberAttribute(null=True)
    # The shipper organisation (the mine's sales company) selling its coal retail: a buyer's order belongs to it,
    # so that shipper sees and tracks it. None: retail orders at this site have no selling shipper.
    sales_org_id = UnicodeAttribute(null=True)
    gate_phone = UnicodeAttribute(null=True)  # the gate's phone: the driver on a load here calls it from the app
    directory = UnicodeAttribute(default=DIRECTORY)  # the same for all: a coal group has a handful of mines
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    in_directory = MineDirectory()


class Product(Model):
    """A coal product at a mine: price, the day's production plan and live inventory."""

    class Meta:
        table_name = "products"

    mine_id = UnicodeAttribute(hash_key=True)
    product_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()  # 块煤, 原煤, 混煤, 洗大块
    name_en = UnicodeAttribute()
    price_fen_per_t = NumberAttribute()
    calorific_kcal = NumberAttribute(null=True)
    plan_kg = NumberAttribute(default=0)  # today's production plan
    inventory_kg = NumberAttribute(default=0)
    reserved_kg = NumberAttribute(default=0)  # promised to orders not yet loaded
    # inventory_kg - reserved_kg, kept beside them because a DynamoDB condition cannot subtract:
    # an order reserves with `available_kg >= tonnage`, so concurrent orders never oversell.
    available_kg = NumberAttribute(null=True)
    updated_at = NumberAttribute()

"""Loads the demo world; safe to run again (every record has a fixed id and is skipped if present)."""

from pynamodb.exceptions import UpdateError

from backend.accounts import store as accounts_store
from backend.accounts.models import Organisation, Vehicle
from backend.auth import service as auth_service
from backend.auth import store as auth_store
from backend.auth.models import User
from backend.catalogue.models import Mine, Product
from backend.common.errors import ApiError
from backend.seed import demo_data as data
from backend.seed.appointments import load_appointments
from backend.seed.certificates import load_certificates
from backend.seed.gate import load_gate
from backend.seed.geo import offset, rectangle
from backend.seed.orders import load_orders
from backend.seed.tracking import load_tracking

# Every demo mine's gate: lane 1 in, lane 2 out (devices an admin registers stand on one of them).
DEMO_LANES = [
    {"id": "1", "name": "1号道 进", "name_en": "Lane 1 in", "direction": "in"},
    {"id": "2", "name": "2号道 出", "name_en": "Lane 2 out", "direction": "out"},
]


def _give_lanes(mine_id):
    """A demo database from before sites had lanes gets them once (lanes a user set since are kept)."""
    try:
        Mine(mine_id).update(
            actions=[Mine.lanes.set(DEMO_LANES), Mine.kind.set("mine")], condition=Mine.lanes.does_not_exist()
        )
    except UpdateError:
        pass


def _give_sales_company(mine_id, org_id):
    """A demo database from before sites named their selling shipper gets it once (a choice made since is kept)."""
    try:
        Mine(mine_id).update(actions=[Mine.sales_org_id.set(org_id)], condition=Mine.sales_org_id.does_not_exist())
    except UpdateError:
        pass


def _give_gate_phone(mine_id, phone):
    """A demo database from before sites had a gate phone gets one once (a number set since is kept)."""
    try:
        Mine(mine_id).update(actions=[Mine.gate_phone.set(phone)], condition=Mine.gate_phone.does_not_exist())
    except UpdateError:
        pass


def _mines(now_ms):
    for m in data.MINES:
        if Mine.count(m["mine_id"]):
            _give_lanes(m["mine_id"])
            _give_sales_company(m["mine_id"], m["sales_org"])
            _give_gate_phone(m["mine_id"], m["gate_phone"])
            continue
        lon, lat = m["gate"]
        park_lon, park_lat = offset(lon, lat, -1500, -900)  # lot 1.7 km outside the gate
        Mine(
            m["mine_id"],
            name=m["name"],
            name_en=m["name_en"],
            location={"type": "Point", "coordinates": [lon, lat]},
            gate_fence=rectangle(lon, lat, 400, 250),
            parking_fence=rectangle(park_lon, park_lat, 300, 200),
            avg_truck_load_kg=m["avg_load"],
            loading_lanes=m["lanes"],
            trucks_per_lane_hour=m["per_hour"],
            parking_drive_minutes=6,
            kind="mine",
            lanes=DEMO_LANES,
            sales_org_id=m["sales_org"],
            gate_phone=m["gate_phone"],
            created_at=now_ms,
            updated_at=now_ms,
        ).save()
        for pid, name, name_en, price, kcal in data.PRODUCTS:
            Product(
                m["mine_id"],
                pid,
                name=name,
                name_en=name_en,
                price_fen_per_t=price,
                calorific_kcal=kcal,
                plan_kg=12_000_000,
                inventory_kg=30_000_000,
                reserved_kg=0,
                updated_at=now_ms,
            ).save()


def _orgs(now_ms):
    for o in data.ORGS:
        if accounts_store.get_org(o["org_id"]) is None:
            Organisation(o["org_id"], kind=o["kind"], name=o["name"], created_at=now_ms).save()


def _users(now_ms):
    for user_id, phone, name, role, org_id, mine_id in data.USERS:
        if auth_store.get_user(user_id) is not None:
            continue
        user = User(
            user_id,
            phone=phone,
            name=name,
            role=role,
            org_id=org_id,
            mine_id=mine_id,
            password_hash=auth_service.hash_password(data.DEMO_PASSWORD),
            created_at=now_ms,
            updated_at=now_ms,
        )
        try:
            auth_store.create_user(user)
        except auth_store.PhoneTaken:
            pass


def _vehicles(now_ms):
    for vid, carrier, plate, colour, axles, tare, rated, terminal, body in data.VEHICLES:
        if accounts_store.get_vehicle(vid) is not None:
            continue
        try:
            accounts_store.create_vehicle(
                Vehicle(
                    vid,
                    carrier_id=carrier,
                    plate=plate,
                    plate_color=colour,
                    axles=axles,
                    tare_kg=tare,
                    rated_load_kg=rated,
                    terminal_id=terminal,
                    body_color=body,
                    created_at=now_ms,
                    updated_at=now_ms,
                )
            )
        except accounts_store.AlreadyClaimed:
            pass


# Other domains append their own loaders (functions of now_ms) here, in dependency order.
LOADERS = [
    _mines,
    _orgs,
    _users,
    _vehicles,
    load_certificates,
    load_orders,
    load_appointments,
    load_tracking,
    load_gate,
]


def load_demo(now_ms):
    """Load every domain's demo records."""
    for loader in LOADERS:
        try:
            loader(now_ms)
        except ApiError as error:  # a loader must never leave the app half-seeded silently
            raise RuntimeError(f"demo loader {loader.__name__} failed: {error.message}") from error


def demo_logins():
    """(role, phone, name) for the README and the start-up banner."""
    return [(role, phone, name) for _, phone, name, role, _, _ in data.USERS]

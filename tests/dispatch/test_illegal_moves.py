"""Every order/dispatch endpoint refuses a waybill in a state its transition does not start from (409 + state)."""

import pytest

from backend.common.clock import now_ms
from backend.waybills import store as waybill_store
from backend.waybills.models import Waybill
from backend.waybills.transitions import STATES, TRANSITIONS
from tests.builders import headers_for, make_org, make_user, random_ref
from tests.orders.helpers import SITE, driver_with_truck, make_mine

# endpoint → (transition action, who calls it, path template, body builder)
ENDPOINTS = {
    "grab": ("assign", "grabber", "/api/hall/{id}/grab", lambda w: {"vehicle_id": w["grabber_truck"].vehicle_id}),
    "give_back": ("unassign", "driver", "/api/hall/{id}/give-back", lambda w: {}),
    "accept": ("accept_entrustment", "carrier", "/api/dispatch/loads/{id}/accept", lambda w: {}),
    "decline": ("decline_entrustment", "carrier", "/api/dispatch/loads/{id}/decline", lambda w: {}),
    "reassign": (
        "reassign",
        "carrier",
        "/api/dispatch/loads/{id}/reassign",
        lambda w: {"driver_id": w["driver"].user_id, "vehicle_id": w["truck"].vehicle_id},
    ),
    "entrust": ("entrust", "shipper", "/api/orders/loads/{id}/entrust", lambda w: {"carrier_id": w["carrier_id"]}),
    "publish": ("publish", "shipper", "/api/orders/loads/{id}/publish", lambda w: {"freight_fen_per_t": 4000}),
    "cancel": ("cancel", "shipper", "/api/orders/{id}/cancel", lambda w: {}),
}
CASES = [
    (name, state)
    for name, (action, *_rest) in ENDPOINTS.items()
    for state in STATES
    if state not in TRANSITIONS[action][0]
]


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        carrier = make_org("carrier")
        shipper = make_user("shipper", org_id=make_org("shipper").org_id)
        driver, truck = driver_with_truck(carrier.org_id)
        grabber, grabber_truck = driver_with_truck()  # never a party, so never busy
        return {
            "mine": make_mine(),
            "carrier_id": carrier.org_id,
            "shipper": shipper,
            "driver": driver,
            "truck": truck,
            "grabber": grabber,
            "grabber_truck": grabber_truck,
            "carrier": make_user("carrier", org_id=carrier.org_id),
        }


def _waybill_in(world, state):
    held_from = "booked" if state == "held" else None
    waybill = Waybill(
        random_ref("wb"),
        state=state,
        version=3,
        held_from=held_from,
        mine_id=world["mine"],
        product_id="raw",
        tonnage_kg=30_000,
        shipper_id=world["shipper"].org_id,
        carrier_id=world["carrier_id"],
        entrust_status="pending",
        driver_id=world["driver"].user_id,
        hall_mine_id=world["mine"] if state == "open" else None,
        destination=SITE,
        created_at=now_ms(),
        updated_at=now_ms(),
        kind="bulk",
    )
    return waybill_store.create(waybill)


@pytest.mark.parametrize("endpoint,state", CASES)
def test_illegal_move_is_409_carrying_the_current_state(client, world, endpoint, state):
    action, role, path, body = ENDPOINTS[endpoint]
    waybill = _waybill_in(world, state)
    reply = client.post(path.format(id=waybill.waybill_id), json=body(world), headers=headers_for(world[role]))
    assert reply.status_code == 409, reply.json
    if endpoint == "grab":  # a driver is no party to a load outside the hall: one reply, whatever its state
        assert reply.json["error"]["code"] == "load_not_in_hall" and "state" not in reply.json["error"]["details"]
    else:
        assert reply.json["error"]["details"]["state"] == state
    assert waybill_store.get(waybill.waybill_id).version == 3

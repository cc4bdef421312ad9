"""Registering a truck: its numbers, its plate and who may register it, with the fleet store faked (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.accounts import service, store
from backend.common.errors import ApiError

CARRIER = SimpleNamespace(user_id="u_c", role="carrier", org_id="org_c", mine_id=None)


class FakeFleet:
    """The accounts store's vehicle writes: plates are unique, as the real uniques table makes them."""

    AlreadyClaimed = store.AlreadyClaimed

    def __init__(self):
        self.plates = {}

    def create_vehicle(self, vehicle):
        if vehicle.plate in self.plates:
            raise store.AlreadyClaimed()
        self.plates[vehicle.plate] = vehicle
        return vehicle


def register(fleet, principal=CARRIER, **changes):
    fields = {
        "plate": " 陕k·12345 ",
        "plate_color": "yellow",
        "axles": 6,
        "tare_kg": 15_000,
        "rated_load_kg": 34_000,
        **changes,
    }
    return service.create_vehicle(principal=principal, carrier_id="org_c", now_ms=1, store=fleet, **fields)


def refused(fleet=None, principal=CARRIER, **changes):
    with pytest.raises(ApiError) as error:
        register(fleet or FakeFleet(), principal, **changes)
    return error.value


def test_a_registered_truck_keeps_the_normalised_plate():
    fleet = FakeFleet()
    vehicle = register(fleet)
    assert (vehicle.plate, vehicle.carrier_id) == ("陕K12345", "org_c")
    assert list(fleet.plates) == ["陕K12345"]


def test_the_same_plate_twice_is_a_conflict_naming_the_plate():
    fleet = FakeFleet()
    register(fleet)
    error = refused(fleet, plate="陕K12345")
    assert (error.status, error.code, list(error.details["fields"])) == (409, "plate_taken", ["plate"])


@pytest.mark.parametrize(
    "field,value",
    [
        ("axles", 1),
        ("axles", 9),
        ("tare_kg", 999),
        ("tare_kg", 40_001),
        ("rated_load_kg", 499),
        ("rated_load_kg", 60_001),
    ],
)
def test_numbers_out_of_range_are_refused_naming_the_field(field, value):
    error = refused(**{field: value})
    assert error.status == 400 and list(error.details["fields"]) == [field]


def test_a_heavy_truck_on_a_blue_plate_is_refused_as_an_invalid_plate():
    error = refused(plate_color="blue")
    assert (error.code, list(error.details["fields"])) == ("invalid_plate", ["plate"])


def test_a_carrier_registers_trucks_only_in_its_own_fleet():
    other = SimpleNamespace(user_id="u_x", role="carrier", org_id="org_other", mine_id=None)
    fleet = FakeFleet()
    assert refused(fleet, principal=other).status == 403 and fleet.plates == {}

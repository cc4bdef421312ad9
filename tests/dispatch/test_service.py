"""Who may take a load with what, and which quota steps an assignment takes or gives back (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.common.errors import ApiError
from backend.dispatch import service

SHANGHAI_NEXT_DAY_MS = 1_790_033_400_000  # 2026-09-21 23:30 UTC = 2026-09-22 07:30 in Shanghai


def load(**fields):
    return SimpleNamespace(**{"shipper_id": "org_s", "mine_id": "mine_a", "kind": "bulk", "quota_date": None, **fields})


def truck(**fields):
    return SimpleNamespace(
        **{
            "carrier_id": "org_c",
            "status": "active",
            "plate": "陕K12345",
            "plate_color": "yellow",
            "rated_load_kg": 35_000,
            "block_reason": None,
            **fields,
        }
    )


def driver(**fields):
    return SimpleNamespace(**{"user_id": "u_d", "role": "driver", "org_id": "org_c", "status": "active", **fields})


@pytest.mark.parametrize(
    "waybill,under",
    [(load(), True), (load(kind="retail"), False), (load(kind=None), False), (load(shipper_id=None), False)],
)
def test_only_a_shippers_bulk_loads_use_its_quota(waybill, under):
    assert service.under_quota(waybill) is under


def test_a_retail_load_takes_no_quota_truck():
    assert service.take_steps(load(kind="retail"), now_ms=SHANGHAI_NEXT_DAY_MS) == ([], None)


def test_a_bulk_load_takes_a_truck_of_the_shanghai_days_quota():
    [step], quota_date = service.take_steps(load(), now_ms=SHANGHAI_NEXT_DAY_MS)
    assert quota_date == "2026-09-22"
    assert (step.error.status, step.error.code) == (409, "quota_exhausted")


def test_giving_a_load_back_returns_the_truck_it_took_and_only_that():
    [step] = service.give_back_steps(load(quota_date="2026-09-22"))
    assert step.error.code == "quota_release_failed"
    assert service.give_back_steps(load()) == []  # no truck was taken (planned before quotas, or retail)


def test_a_fitting_truck_is_accepted():
    vehicle = truck()
    assert service.fitting_vehicle(vehicle, carrier_id="org_c", tonnage_kg=34_000) is vehicle


@pytest.mark.parametrize(
    "vehicle,status,code",
    [
        (None, 404, "vehicle_not_found"),
        (truck(carrier_id="org_other"), 404, "vehicle_not_found"),
        (truck(status="blocked", block_reason="套牌"), 409, "vehicle_blocked"),
        (truck(plate="陕K1234"), 400, "invalid_plate"),
        (truck(rated_load_kg=30_000), 422, "vehicle_too_small"),
    ],
)
def test_a_truck_that_does_not_fit_is_refused_naming_the_vehicle(vehicle, status, code):
    with pytest.raises(ApiError) as refused:
        service.fitting_vehicle(vehicle, carrier_id="org_c", tonnage_kg=34_000)
    assert (refused.value.status, refused.value.code) == (status, code)
    assert "vehicle_id" in refused.value.details.get("fields", {}) or code == "vehicle_blocked"


@pytest.mark.parametrize(
    "user,status,code",
    [
        (driver(role="buyer"), 404, "driver_not_found"),
        (driver(org_id="org_other"), 404, "driver_not_found"),
        (driver(status="disabled"), 409, "driver_inactive"),
    ],
)
def test_only_an_active_driver_of_the_carrier_may_take_loads(user, status, code):
    with pytest.raises(ApiError) as refused:
        service.active_driver("u_d", "org_c", user=user)
    assert (refused.value.status, refused.value.code) == (status, code)


def test_an_active_driver_of_the_carrier_is_returned():
    user = driver()
    assert service.active_driver("u_d", "org_c", user=user) is user

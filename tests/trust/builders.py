"""Delivered loads for trust tests: written as the buyer's confirmation leaves them, their delivery counted."""

from backend.common.clock import now_ms
from backend.trust import listeners
from backend.waybills.models import Waybill
from tests.builders import make_org, make_user, random_ref


def delivered(*, buyer=None, driver=None, carrier_id=None, net_kg=34_000, received_kg=34_000):
    """A confirmed load between a buyer and a driver (new ones unless given), counted like delivery_confirmed."""
    carrier_id = carrier_id or (driver.org_id if driver else make_org("carrier").org_id)
    driver = driver or make_user("driver", org_id=carrier_id)
    buyer = buyer or make_user("buyer")
    now = now_ms()
    waybill = Waybill(
        random_ref("wb"),
        state="confirmed",
        mine_id=random_ref("mine"),
        product_id="raw",
        tonnage_kg=34_000,
        driver_id=driver.user_id,
        carrier_id=carrier_id,
        buyer_id=buyer.user_id,
        net_kg=net_kg,
        received_kg=received_kg,
        created_at=now,
        updated_at=now,
    )
    waybill.save()
    listeners.on_delivery_confirmed(waybill_id=waybill.waybill_id, now_ms=now, waybill=waybill)
    return waybill, buyer, driver

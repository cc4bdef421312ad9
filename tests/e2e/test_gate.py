"""Gate staff open a fake-plate alert on a phone, see the evidence, clear it, and the truck proceeds."""

from backend.common.clock import now_ms
from backend.gate import service as gate_service
from backend.waybills import store as waybills_store
from tests.gate.helpers import Gate, Truck, pass_token


def _read(gate, plate, at):
    return {
        "plate": plate,
        "plate_color": "yellow",
        "confidence": 95.0,
        "vehicle_color": None,
        "vehicle_type": None,
        "at": at,
        "image_ref": None,
        "lane": gate.lane,
        "direction": "in",
        "source": "json",
    }


def test_gate_staff_clear_a_hold_and_the_truck_proceeds(app, pixel7_page, make_account, sign_in):
    with app.app_context():
        gate, truck = Gate(), Truck()
        truck.fix(east_m=180_000, north_m=60_000, ago_s=300)  # the registered truck is ~190 km away
        waybill = truck.waybill()
        sighting, _ = gate_service.record_sighting(
            read=_read(gate, truck.plate, now_ms()), device=gate.camera.device, now_ms=now_ms()
        )
        assert waybills_store.get(waybill.waybill_id).state == "held"
    staff = make_account("gate", mine_id="mine_hll")
    page = pixel7_page

    sign_in(page, staff, "gate-alerts")
    page.locator(f"button.alert-row[data-alert-id='{sighting.alert_id}']").click()
    detail = page.locator(f"section.alert-detail[data-alert-id='{sighting.alert_id}']")
    detail.wait_for()
    assert truck.plate in detail.locator("h2").inner_text()
    assert "公里外" in detail.locator("dl.numbers").inner_text()  # the distance to the truck's last fix, in words
    detail.locator(".evidence-map.leaflet-container").wait_for()

    detail.get_by_label("处理结果").select_option("cleared")
    detail.get_by_label("处理说明").fill("司机出示行驶证，车架号一致，GPS 终端故障")
    detail.get_by_role("button", name="提交").click()
    page.locator("section.alert-detail").wait_for(state="detached")

    with app.app_context():
        assert waybills_store.get(waybill.waybill_id).state == "called"
        # The truck proceeds: pass and plate agree, so it enters.
        truck.fix(east_m=100, ago_s=20)
        gate_service.record_scan(
            token=pass_token(waybill), lane=gate.lane, at=now_ms(), device=gate.scanner.device, now_ms=now_ms()
        )
        _, identification = gate_service.record_sighting(
            read=_read(gate, truck.plate, now_ms()), device=gate.camera.device, now_ms=now_ms()
        )
        assert identification["outcome"] == "entered", identification
        assert waybills_store.get(waybill.waybill_id).state == "entered"

    page.goto("/#/gate-holds")
    page.locator(".holds-screen").wait_for()
    assert page.locator(f"[data-waybill-id='{waybill.waybill_id}']").count() == 0

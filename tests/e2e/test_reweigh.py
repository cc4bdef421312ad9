"""Overload -> unload -> re-weigh -> release, on phones: the gate sends the held truck back from its holds screen,
the driver's screen says how much to unload and why (zh-CN and English), the second gross counts and the exit
camera releases the truck."""

from backend.common.clock import now_ms
from backend.gate import service as gate_service
from backend.waybills import store as waybills_store
from tests.e2e.test_gate import _read
from tests.gate.helpers import Gate, Truck, pass_token


def _weigh(gate, waybill, kg):
    reading = {"kg": kg, "axles": None, "stable": True, "at": now_ms(), "plate": None, "waybill_id": waybill.waybill_id}
    return gate_service.record_weighing(reading=reading, device=gate.bridge.device, now_ms=now_ms())


def test_overload_unload_reweigh_release(app, pixel7_context, make_account, sign_in):
    with app.app_context():
        gate, truck = Gate(), Truck(tare_kg=15000, rated_load_kg=34000, axles=6)
        truck.fix(east_m=100, ago_s=20)
        waybill = truck.waybill(tonnage_kg=33000)
        gate_service.record_scan(
            token=pass_token(waybill), lane=gate.lane, at=now_ms(), device=gate.scanner.device, now_ms=now_ms()
        )
        gate_service.record_sighting(
            read=_read(gate, truck.plate, now_ms()), device=gate.camera.device, now_ms=now_ms()
        )
        _weigh(gate, waybill, 15000)
        assert _weigh(gate, waybill, 49500)["ticket"].held  # 34.5 t net: over the rated load and the order
        assert waybills_store.get(waybill.waybill_id).state == "held"
    staff = make_account("gate", mine_id="mine_hll")
    gate_page = pixel7_context().new_page()
    driver_page = pixel7_context().new_page()

    sign_in(driver_page, truck.driver, "tickets")
    card = driver_page.locator(f"article.waybill-tickets[data-waybill-id='{waybill.waybill_id}']")
    card.locator(".hold-notice", has_text="门岗会安排卸货复磅").wait_for()

    sign_in(gate_page, staff, "gate-holds")
    row = gate_page.locator(f".hold-row[data-waybill-id='{waybill.waybill_id}']")
    row.get_by_label("原因（司机会看到）").fill("超载 0.5 吨，回装车区卸货后复磅")
    row.get_by_role("button", name="退回卸货复磅").click()
    gate_page.locator("dialog.confirm[open]").get_by_role("button", name="退回卸货复磅").click()  # asked first
    gate_page.locator(".toast", has_text="需卸下 0.50 吨").wait_for()
    row.wait_for(state="detached")

    notice = card.locator(".reweigh-notice")
    notice.wait_for(timeout=20000)  # the screen refreshes by itself at the weighbridge
    assert "卸下约 0.5 吨" in notice.inner_text() and "回装车区卸货后复磅" in notice.inner_text()
    assert "此磅单已作废" in card.locator(".superseded").inner_text()

    driver_page.evaluate("() => localStorage.setItem('ch.lang', 'en')")
    driver_page.reload()
    notice.wait_for()
    assert "unload about 0.5 t" in notice.inner_text()
    assert "no longer counts" in card.locator(".superseded").inner_text()

    with app.app_context():
        final = _weigh(gate, waybill, 48000)["ticket"]
        assert not final.held and final.net_kg == 33000
        exit_read = dict(_read(gate, truck.plate, now_ms()), direction="out")
        _, outcome = gate_service.record_sighting(read=exit_read, device=gate.camera.device, now_ms=now_ms())
        assert outcome["outcome"] == "released"
        stored = waybills_store.get(waybill.waybill_id)
        assert (stored.state, stored.net_kg) == ("released", 33000)
    driver_page.reload()
    card.locator(".ticket").nth(2).wait_for()
    assert card.locator(".reweigh-notice").count() == 0
    assert card.locator(".superseded").count() == 1  # all three tickets kept; only the sent-back one is marked

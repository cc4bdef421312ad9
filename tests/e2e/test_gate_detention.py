"""Detention (压车费) is shown to the mine side too: on the gate's weigh tickets, a gross ticket tells what the
mine's sales company owes the carrier for the truck's wait, the same figure the carrier sees in its earnings."""

from backend.common.clock import now_ms
from backend.gate import service as gate_service
from tests.e2e.test_gate import _read
from tests.e2e.test_reweigh import _weigh
from tests.gate.helpers import Gate, Truck, pass_token


def test_the_gate_reads_a_trucks_detention_from_its_gross_ticket(app, pixel7_context, make_account, sign_in):
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
        assert not _weigh(gate, waybill, 48000)["ticket"].held
    staff = make_account("gate", mine_id="mine_hll")
    page = pixel7_context().new_page()
    sign_in(page, staff, "gate-tickets")
    row = page.locator(f".ticket-row[data-waybill='{waybill.waybill_id}']")
    row.get_by_role("button", name="压车费").click()
    said = row.locator(".detention")
    said.wait_for()
    assert "压车费" in said.inner_text()

"""The deposit (保证金): a grade-D driver's grab holds it from the carrier's freight account in the grab's own
transaction (still two calls); a grab that cannot pay is refused whole; the deposit comes back when the load ends."""

from backend.common.clock import now_ms
from backend.ledger import service as ledger
from backend.trust import deposit, service
from backend.waybills import service as waybills
from tests.builders import headers_for, make_user, random_ref
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_retail

DEPOSIT = 50_000  # TRUST_DEPOSIT_FEN for grade D (the default settings)


def graded_d(driver):
    """Ten loads and two no-shows: 60 + 5 - 10 = 55, grade D."""
    at = now_ms()
    service.record(
        [
            service.event_record(
                party_id=driver.user_id, role="driver", signal="completed", source_id=random_ref("c"), at=at, count=10
            ),
            service.event_record(
                party_id=driver.user_id, role="driver", signal="no_show", source_id=random_ref("n"), at=at, count=2
            ),
        ]
    )


def fund(carrier_id, fen):
    ledger.post(
        entry_id=random_ref("topup"),
        legs=[(ledger.account("provider", "test"), -fen), (ledger.account("carrier", carrier_id), fen)],
        memo="test top-up",
        now_ms=now_ms(),
    )


def load(client):
    return place_retail(client, make_user("buyer"), make_mine()).json["id"]


def test_a_grade_d_grab_holds_the_deposit_in_two_calls_and_giving_back_returns_it(client):
    driver, truck = driver_with_truck()
    graded_d(driver)
    fund(driver.org_id, 80_000)
    waybill_id = load(client)
    with count_calls() as calls:
        won = grab(client, driver, truck, waybill_id)
    assert won.status_code == 200, won.json
    assert calls == ["BatchGetItem", "TransactWriteItems"]
    carrier = ledger.account("carrier", driver.org_id)
    assert ledger.balance(carrier) == 80_000 - DEPOSIT
    assert ledger.balance(deposit.holding_account(waybill_id)) == DEPOSIT
    assert waybills.get(waybill_id).deposit_fen == DEPOSIT

    back = client.post(f"/api/hall/{waybill_id}/give-back", headers=headers_for(driver))
    assert back.status_code == 200, back.json
    assert ledger.balance(carrier) == 80_000 and ledger.balance(deposit.holding_account(waybill_id)) == 0


def test_a_grab_the_freight_account_cannot_cover_is_refused_whole(client):
    driver, truck = driver_with_truck()
    graded_d(driver)
    fund(driver.org_id, DEPOSIT - 1)
    waybill_id = load(client)
    refused = grab(client, driver, truck, waybill_id)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "deposit_unpaid"
    assert refused.json["error"]["details"]["amount_fen"] == DEPOSIT
    stored = waybills.get(waybill_id)
    assert stored.state == "open" and stored.driver_id is None and stored.deposit_entry is None
    assert ledger.balance(ledger.account("carrier", driver.org_id)) == DEPOSIT - 1


def test_ungraded_and_good_drivers_put_up_nothing(client):
    driver, truck = driver_with_truck()  # fewer than 10 loads: no grade yet
    waybill_id = load(client)
    assert grab(client, driver, truck, waybill_id).status_code == 200
    assert waybills.get(waybill_id).deposit_entry is None
    assert ledger.balance(deposit.holding_account(waybill_id)) == 0


def test_a_delivered_load_returns_the_deposit_once(client):
    driver, truck = driver_with_truck()
    graded_d(driver)
    fund(driver.org_id, DEPOSIT)
    waybill_id = load(client)
    assert grab(client, driver, truck, waybill_id).status_code == 200
    held = waybills.get(waybill_id)
    for _ in range(2):  # a replayed event gives it back once
        deposit.on_waybill_moved(waybill=held, action="confirm", now_ms=now_ms())
    assert ledger.balance(ledger.account("carrier", driver.org_id)) == DEPOSIT
    assert ledger.balance(deposit.holding_account(waybill_id)) == 0

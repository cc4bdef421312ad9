"""Paying for a truckload through real HTTP: our served app, the local sandbox, signed notifications."""

import json
import time
import urllib.parse
import urllib.request

import pytest

from backend.alerts.models import Alert
from backend.catalogue import service as catalogue
from backend.common.clock import now_ms
from backend.ledger import service as ledger
from backend.orders import service as orders
from backend.payments import service as payments
from backend.payments.providers import sandbox
from backend.waybills import service as waybills
from tests.builders import headers_for, make_org, make_user
from tests.orders.helpers import make_mine, retail_body


def until(check, timeout=20):
    """Poll until check() is truthy (notifications are asynchronous); its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    return check()


def in_hall(mine_id, waybill_id):
    return any(w.waybill_id == waybill_id for w in waybills.hall_loads(mine_id))


def escrow(waybill_id):
    return ledger.balance(ledger.account("escrow", waybill_id))


def status(waybill_id):
    return payments.find(waybill_id).status


def order(server, buyer, mine_id):
    code, waybill = server.call("POST", "/api/orders/retail", body=retail_body(mine_id), headers=headers_for(buyer))
    assert code == 201, waybill
    return waybill


def pay_page(server, buyer, waybill_id):
    code, payment = server.call("POST", f"/api/payments/{waybill_id}", body={}, headers=headers_for(buyer))
    assert code == 201, payment
    return payment


def press_pay(pay_url, **options):
    """The buyer's press of 支付 on the hosted page (its form posts here); options make the sandbox misbehave."""
    form = urllib.parse.urlencode(dict(options, json=1)).encode()
    with urllib.request.urlopen(urllib.request.Request(pay_url + "/confirm", data=form), timeout=10) as reply:
        return json.load(reply)


@pytest.fixture
def world(prepay_app, prepay_server):
    buyer, mine_id = make_user("buyer"), make_mine()
    return prepay_server, buyer, mine_id


def test_buyer_pays_on_the_hosted_page_and_the_load_reaches_the_hall(world, pay_sandbox):
    server, buyer, mine_id = world
    waybill = order(server, buyer, mine_id)
    wid = waybill["id"]
    assert not in_hall(mine_id, wid)
    code, payment = server.call("GET", f"/api/payments/{wid}", headers=headers_for(buyer))
    assert (code, payment["status"], payment["amount_fen"]) == (200, "awaiting_payment", waybill["quote"]["total_fen"])

    payment = pay_page(server, buyer, wid)
    assert payment["status"] == "paying"
    with urllib.request.urlopen(payment["pay_url"], timeout=10) as reply:
        assert "支付 / Pay" in reply.read().decode()
    press_pay(payment["pay_url"], duplicates=2)  # three copies of one notification

    assert until(lambda: status(wid) == "paid")
    assert in_hall(mine_id, wid)
    assert until(lambda: len(pay_sandbox.notifications(wid)) == 3)
    assert {n["reply_status"] for n in pay_sandbox.notifications(wid)} == {200}
    assert escrow(wid) == waybill["quote"]["total_fen"]  # once, whatever was duplicated


def test_a_delayed_notification_leaves_the_order_paying_until_it_comes(world):
    server, buyer, mine_id = world
    wid = order(server, buyer, mine_id)["id"]
    press_pay(pay_page(server, buyer, wid)["pay_url"], delay_ms=1500)
    assert status(wid) == "paying" and not in_hall(mine_id, wid)
    assert until(lambda: status(wid) == "paid")
    assert in_hall(mine_id, wid)


def test_notifications_out_of_order_pay_each_order_once(world, pay_sandbox):
    server, buyer, mine_id = world
    first, second = order(server, buyer, mine_id), order(server, buyer, mine_id)
    for waybill in (first, second):
        press_pay(pay_page(server, buyer, waybill["id"])["pay_url"], hold=1, duplicates=1)
    for waybill in (first, second):
        pay_sandbox.release(waybill["id"], reverse=True)
    for waybill in (second, first):
        assert until(lambda w=waybill: status(w["id"]) == "paid")
        assert escrow(waybill["id"]) == waybill["quote"]["total_fen"]


def signed_post(server, pay_sandbox, note, *, timestamp=None):
    body = json.dumps(note, separators=(",", ":"))
    headers = sandbox.signed_headers(pay_sandbox.key, body, timestamp=timestamp)
    request = urllib.request.Request(server + "/api/payments/notify/sandbox", data=body.encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def alerts_about(waybill_id=None, text=None):
    if waybill_id:
        return list(Alert.by_waybill.query(waybill_id))
    return [a for a in Alert.by_mine.query(payments.UNKNOWN_MINE) if text in a.reason]


def note(waybill_id, amount_fen, transaction_id="st_forged"):
    return {
        "notify_id": "sn_" + transaction_id,
        "event": "payment",
        "order_id": waybill_id,
        "status": "paid",
        "transaction_id": transaction_id,
        "amount_fen": amount_fen,
    }


def test_a_notification_that_fails_a_check_changes_nothing_and_raises_an_alert(world, pay_sandbox):
    server, buyer, mine_id = world
    waybill = order(server, buyer, mine_id)
    wid, total = waybill["id"], waybill["quote"]["total_fen"]
    pay_page(server, buyer, wid)

    forged = json.dumps(note(wid, total))
    headers = sandbox.signed_headers("not-the-sandbox-key-0123456789", forged)
    bad = urllib.request.Request(server + "/api/payments/notify/sandbox", data=forged.encode(), headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=10)
    assert refused.value.code == 400
    assert signed_post(server, pay_sandbox, note(wid, total + 1)) == 400  # wrong amount
    stale = int(time.time()) - 3600
    assert signed_post(server, pay_sandbox, note(wid, total), timestamp=stale) == 400  # a replay
    unknown = "wb_unknown_" + wid
    assert signed_post(server, pay_sandbox, note(unknown, total)) == 400

    assert status(wid) == "paying" and not in_hall(mine_id, wid) and escrow(wid) == 0
    reasons = " | ".join(a.reason for a in alerts_about(wid))
    assert "paid" in reasons and "replayed" in reasons
    assert alerts_about(text=unknown) and alerts_about(text="signature")


def test_a_replayed_notification_after_payment_moves_no_money(world, pay_sandbox):
    server, buyer, mine_id = world
    waybill = order(server, buyer, mine_id)
    wid, total = waybill["id"], waybill["quote"]["total_fen"]
    pay_page(server, buyer, wid)
    assert signed_post(server, pay_sandbox, note(wid, total, "st_once")) == 200
    assert signed_post(server, pay_sandbox, note(wid, total, "st_once")) == 200
    assert signed_post(server, pay_sandbox, note(wid, total, "st_other")) == 200  # a second payment: alerted
    assert escrow(wid) == total and status(wid) == "paid"
    assert any("second payment" in a.reason for a in alerts_about(wid))


def test_unpaid_orders_expire_and_give_their_stock_back(world):
    server, buyer, mine_id = world
    before = catalogue.available_kg(catalogue.get_product(mine_id, "raw"))
    wid = order(server, buyer, mine_id)["id"]
    assert catalogue.available_kg(catalogue.get_product(mine_id, "raw")) == before - 30_000
    assert orders.expire_unpaid(now_ms=now_ms(), mine_ids=[mine_id]) == {"expired": 0, "paid_late": 0}

    later = now_ms() + 31 * 60_000
    assert orders.expire_unpaid(now_ms=later, mine_ids=[mine_id]) == {"expired": 1, "paid_late": 0}
    assert waybills.get(wid).state == "expired" and status(wid) == "expired"
    assert catalogue.available_kg(catalogue.get_product(mine_id, "raw")) == before
    code, reply = server.call("POST", f"/api/payments/{wid}", body={}, headers=headers_for(buyer))
    assert (code, reply["error"]["code"]) == (409, "not_payable")


def test_an_order_paid_but_not_notified_is_found_by_reconciliation_not_expired(world):
    server, buyer, mine_id = world
    waybill = order(server, buyer, mine_id)
    wid = waybill["id"]
    press_pay(pay_page(server, buyer, wid)["pay_url"], drop=1)  # the notification never comes
    assert payments.reconcile(now_ms=now_ms(), mine_ids=[mine_id]) == {"paid": 0, "refunded": 0}  # too soon
    assert status(wid) == "paying"

    assert payments.reconcile(now_ms=now_ms() + 120_000, mine_ids=[mine_id]) == {"paid": 1, "refunded": 0}
    assert status(wid) == "paid" and in_hall(mine_id, wid) and escrow(wid) == waybill["quote"]["total_fen"]
    assert payments.reconcile(now_ms=now_ms() + 120_000, mine_ids=[mine_id]) == {"paid": 0, "refunded": 0}


def test_an_unpaid_order_paid_late_is_kept_by_the_expiry_job(world):
    server, buyer, mine_id = world
    wid = order(server, buyer, mine_id)["id"]
    press_pay(pay_page(server, buyer, wid)["pay_url"], drop=1)
    later = now_ms() + 31 * 60_000
    assert orders.expire_unpaid(now_ms=later, mine_ids=[mine_id]) == {"expired": 0, "paid_late": 1}
    assert status(wid) == "paid" and waybills.get(wid).state == "open"


def test_a_provider_timeout_leaves_the_order_paying_for_reconciliation_to_settle(world, client, app):
    server, buyer, mine_id = world
    wid = order(server, buyer, mine_id)["id"]
    app.config["PAY_SANDBOX_URL"], saved = "http://127.0.0.1:9", app.config["PAY_SANDBOX_URL"]
    try:
        reply = client.post(f"/api/payments/{wid}", json={}, headers=headers_for(buyer))
    finally:
        app.config["PAY_SANDBOX_URL"] = saved
    assert reply.status_code == 503 and reply.json["error"]["code"] == "provider_unavailable"
    assert status(wid) == "paying" and not in_hall(mine_id, wid)
    assert payments.reconcile(now_ms=now_ms() + 120_000, mine_ids=[mine_id]) == {"paid": 0, "refunded": 0}
    assert status(wid) == "paying"  # the provider has no payment for it: still open, and paying again works
    assert pay_page(server, buyer, wid)["pay_url"]


def test_cancelling_a_paid_order_refunds_everything(world, pay_sandbox):
    server, buyer, mine_id = world
    waybill = order(server, buyer, mine_id)
    wid, total = waybill["id"], waybill["quote"]["total_fen"]
    press_pay(pay_page(server, buyer, wid)["pay_url"])
    assert until(lambda: status(wid) == "paid")

    code, cancelled = server.call("POST", f"/api/orders/{wid}/cancel", body={}, headers=headers_for(buyer))
    assert (code, cancelled["state"]) == (200, "cancelled")
    assert status(wid) == "refunded" and escrow(wid) == 0
    assert payments.provider().query(wid).paid  # the sandbox still shows the payment, now refunded
    code, payment = server.call("GET", f"/api/payments/{wid}", headers=headers_for(buyer))
    assert payment["refunded_fen"] == total


def test_cancelling_an_unpaid_order_closes_its_payment(world):
    server, buyer, mine_id = world
    wid = order(server, buyer, mine_id)["id"]
    code, _ = server.call("POST", f"/api/orders/{wid}/cancel", body={}, headers=headers_for(buyer))
    assert code == 200 and status(wid) == "cancelled" and escrow(wid) == 0


def test_money_arriving_after_the_order_was_cancelled_goes_back(world, pay_sandbox):
    server, buyer, mine_id = world
    waybill = order(server, buyer, mine_id)
    wid, total = waybill["id"], waybill["quote"]["total_fen"]
    press_pay(pay_page(server, buyer, wid)["pay_url"], hold=1)  # paid, but the notification is late
    code, _ = server.call("POST", f"/api/orders/{wid}/cancel", body={}, headers=headers_for(buyer))
    assert code == 200 and status(wid) == "cancelled"

    pay_sandbox.release(wid)
    assert until(lambda: status(wid) == "refunded")
    assert escrow(wid) == 0 and payments.find(wid).refunded_fen == total
    assert waybills.get(wid).state == "cancelled" and not in_hall(mine_id, wid)
    assert any("refunded" in a.reason for a in alerts_about(wid))


def test_a_shippers_order_for_a_buyer_goes_to_the_hall_at_once(world):
    server, buyer, mine_id = world
    shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    body = retail_body(mine_id, buyer_phone=buyer.phone)
    code, waybill = server.call("POST", "/api/orders/retail", body=body, headers=headers_for(shipper))
    assert code == 201 and in_hall(mine_id, waybill["id"])  # shippers pay from their prepaid balance
    assert payments.find(waybill["id"]) is None

"""Webhook signing secrets are kept sealed: the table holds no usable secret, deliveries still verify, and the
reseal job seals secrets kept in the clear by an earlier version or sealed by a previous seal key."""

import pytest

from backend.common.clock import now_ms
from backend.webhooks import reseal, store
from backend.webhooks import service as webhooks
from backend.webhooks.models import Subscription
from tests.builders import headers_for
from tests.webhooks.test_webhooks import arrive, loopback, receiver, shipper_world, verify  # noqa: F401

pytestmark = pytest.mark.usefixtures("loopback")


def stored(owner_id, sub_id):
    """The subscription's item as the table holds it (what a table read, a backup or an export would show)."""
    return Subscription._get_connection().get_item(owner_id, sub_id, consistent_read=True)["Item"]


def test_the_table_holds_no_secret_in_the_clear_yet_deliveries_verify(app, client, receiver):  # noqa: F811
    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/sealed-a")
        item = stored(shipper.org_id, hook["id"])
        assert item["secret"]["S"].startswith("sealed:v1:") and hook["secret"] not in str(item)
        rotated = client.post(f"/api/webhooks/{hook['id']}/rotate", headers=headers_for(shipper)).json
        item = stored(shipper.org_id, hook["id"])
        assert item["old_secret"]["S"].startswith("sealed:v1:")
        assert hook["secret"] not in str(item) and rotated["secret"] not in str(item)
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
        [got] = receiver.to("/sealed-a")
        assert verify(hook["secret"], got["headers"], got["body"], now_s=at // 1000)
        assert verify(rotated["secret"], got["headers"], got["body"], now_s=at // 1000)


def put_clear(owner_id, sub_id, url, secret):
    """A subscription as the version before sealing wrote it."""
    Subscription._get_connection().put_item(
        owner_id,
        sub_id,
        attributes={
            "url": {"S": url},
            "events": {"L": [{"S": "arrived"}]},
            "secret": {"S": secret},
            "created_by": {"S": "u_before"},
            "created_at": {"N": str(now_ms())},
        },
    )


def test_the_reseal_job_seals_secrets_kept_in_the_clear_and_changes_nothing_twice(app, client, receiver):  # noqa: F811
    with app.app_context():
        shipper, hook, waybill = shipper_world(client, receiver, "/sealed-b")
        put_clear(shipper.org_id, hook["id"], receiver.url + "/sealed-b", "whsec_from_before")
        assert store.get_subscription(shipper.org_id, hook["id"]).secret == "whsec_from_before"  # still works
        assert reseal.reseal() >= 1
        assert stored(shipper.org_id, hook["id"])["secret"]["S"].startswith("sealed:v1:")
        assert "whsec_from_before" not in str(stored(shipper.org_id, hook["id"]))
        assert store.get_subscription(shipper.org_id, hook["id"]).secret == "whsec_from_before"
        assert reseal.reseal() == 0
        at = now_ms()
        arrive(waybill, at)
        webhooks.run(now_ms=at, mine_ids=[waybill.mine_id])
        [got] = receiver.to("/sealed-b")
        assert verify("whsec_from_before", got["headers"], got["body"], now_s=at // 1000)


def test_a_change_of_seal_key_is_finished_by_the_reseal_job(app, client, receiver, monkeypatch):  # noqa: F811
    with app.app_context():
        shipper, hook, _waybill = shipper_world(client, receiver, "/sealed-c")
        before, before_key = stored(shipper.org_id, hook["id"])["secret"]["S"], app.config["SECRET_SEAL_KEY"]
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY_PREVIOUS", app.config["SECRET_SEAL_KEY"])
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY", "the-next-seal-key-0123456789")
        assert store.get_subscription(shipper.org_id, hook["id"]).secret == hook["secret"]
        assert reseal.reseal() >= 1
        after = stored(shipper.org_id, hook["id"])["secret"]["S"]
        assert after.split(":")[2] != before.split(":")[2]
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY_PREVIOUS", "")  # the old key can go now
        assert store.get_subscription(shipper.org_id, hook["id"]).secret == hook["secret"]
        # Back to the suite's key, the same way, so the shared store's other subscriptions open as before.
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY_PREVIOUS", "the-next-seal-key-0123456789")
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY", before_key)
        reseal.reseal()
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY_PREVIOUS", "")
        assert reseal.reseal() == 0


def test_a_secret_no_key_opens_is_left_alone_and_the_rest_are_sealed(app, client, receiver, monkeypatch, caplog):  # noqa: F811
    with app.app_context():
        lost, lost_hook, _ = shipper_world(client, receiver, "/sealed-d")
        shipper, hook, _ = shipper_world(client, receiver, "/sealed-e")
        key, lost_value = app.config["SECRET_SEAL_KEY"], store.get_subscription(lost.org_id, lost_hook["id"])
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY", "a-key-nobody-kept-0123456789")
        store.save_subscription(lost_value)  # sealed under a key that is then lost
        monkeypatch.setitem(app.config, "SECRET_SEAL_KEY", key)
        put_clear(shipper.org_id, hook["id"], receiver.url + "/sealed-e", "whsec_still_clear")
        assert reseal.reseal() >= 1
        assert f"webhook {lost_hook['id']} of {lost.org_id} left as it is" in caplog.text
        assert store.get_subscription(shipper.org_id, hook["id"]).secret == "whsec_still_clear"
        assert stored(shipper.org_id, hook["id"])["secret"]["S"].startswith("sealed:v1:")
        Subscription._get_connection().delete_item(lost.org_id, lost_hook["id"])  # nobody could open it again

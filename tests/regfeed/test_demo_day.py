"""A day of waybills, events delivered twice: exactly one accepted waybill and fund-flow document per settled truck."""

from collections import Counter

from backend import events
from backend.config import setting
from backend.regfeed import service as regfeed
from backend.regfeed import transport
from tests.regfeed.helpers import delivered, doc, run_until

TRUCKS = 6


def test_a_day_of_waybills_gives_one_accepted_waybill_and_fund_flow_per_settled_truck(app, province_sandbox):
    with app.app_context():
        adapter = transport.from_settings(setting)
        worlds = [delivered(settle=index != 0) for index in range(TRUCKS)]  # the first is not settled yet
        for world in worlds:  # a retried notification and a replayed settlement cue change nothing
            events.publish("delivery_confirmed", waybill_id=world["waybill_id"], now_ms=world["done_at"])
            if world is not worlds[0]:
                regfeed.on_settled(waybill_id=world["waybill_id"], now_ms=world["done_at"])
        ids = [regfeed.doc_id("waybill", w["waybill_id"]) for w in worlds]
        ids += [regfeed.doc_id("fund_flow", w["waybill_id"]) for w in worlds[1:]]
        run_until(
            adapter, ids, ("accepted",), now=max(w["done_at"] for w in worlds), mines=[w["mine_id"] for w in worlds]
        )
        assert doc("fund_flow", worlds[0]["waybill_id"]) is None
    subjects = {w["waybill_id"] for w in worlds}
    accepted = Counter(
        (u["document"], u["subject"])
        for u in province_sandbox.uploads()
        if u["subject"] in subjects or u["subject"] in {f"ZJ{s}" for s in subjects}
        if u["verdict"][0] == "accepted" and u["document"] in ("WLHY_YD1001", "WLHY_ZJ1001")
    )
    assert sorted(accepted.values()) == [1] * (2 * TRUCKS - 1)
    assert sum(1 for document, _ in accepted if document == "WLHY_ZJ1001") == TRUCKS - 1

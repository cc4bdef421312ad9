"""A seeded random run through DynamoDB Local: random weights, losses, disputes and duplicated events."""

import random

from backend.common.clock import now_ms
from backend.common.errors import ApiError
from backend.ledger import service as ledger
from backend.settlement import service as settlement
from tests.tracking.conftest import make_waybill

RUNS = 40


def _world(rng, index):
    net = rng.randint(25_000, 36_000)
    ordered = rng.randint(25_000, 36_000)
    price, freight = rng.randint(60_000, 100_000), rng.randint(6_000, 15_000)
    retail = index % 2 == 0
    fields = dict(
        state=rng.choice(("confirmed", "confirmed", "confirmed", "disputed")),
        net_kg=net,
        received_kg=net - rng.choice((0, rng.randint(0, 150), rng.randint(0, 2_000))),
        tonnage_kg=ordered,
        price_fen_per_t=price,
        freight_fen_per_t=freight,
    )
    if retail:
        coal, freight_fen = ordered * price // 1000, ordered * freight // 1000
        fields.update(
            kind="retail", quote={"coal_fen": coal, "freight_fen": freight_fen, "total_fen": coal + freight_fen}
        )
    world = make_waybill(**fields)
    wid = world["waybill"].waybill_id
    if retail:
        total = fields["quote"]["total_fen"]
        ledger.post(
            entry_id=f"test-pay-{wid}",
            legs=[(ledger.account("provider", "sandbox"), -total), (ledger.account("escrow", wid), total)],
            memo="paid",
            now_ms=now_ms(),
            waybill_id=wid,
        )
    else:
        ledger.set_credit_limit(world["shipper_org"].org_id, 10_000_000, mine_id=world["waybill"].mine_id)
    return world


def test_random_waybills_settle_once_each_and_every_entry_balances(app):
    rng = random.Random(1129)
    with app.app_context():
        for index in range(RUNS):
            world = _world(rng, index)
            wid, disputed = world["waybill"].waybill_id, world["waybill"].state == "disputed"
            events = ["weigh_out"] * rng.randint(0, 2) + ([] if disputed else ["receipt"] * rng.randint(0, 2))
            for trigger in events:  # duplicated notifications
                settlement.release(waybill_id=wid, trigger=trigger, now_ms=now_ms())
            settled = 0
            for _ in range(rng.randint(1, 2)):
                try:
                    settlement.settle(waybill_id=wid, now_ms=now_ms())
                    settled += 1
                except ApiError as error:
                    assert error.status == 409
            entries = ledger.entries_for_waybill(wid)
            for entry in entries:
                assert sum(int(amount) for _, amount in entry.legs) == 0
            ours = [entry.entry_id for entry in entries if entry.entry_id.startswith("settle-")]
            assert len(ours) == len(set(ours))
            carrier = ledger.balance(ledger.account("carrier", world["carrier_org"].org_id))
            assert carrier >= 0
            if world["waybill"].kind == "retail":
                assert ledger.balance(ledger.account("escrow", wid)) >= 0
                assert ledger.balance(ledger.account("buyer_wallet", world["buyer"].user_id)) >= 0
            if disputed:
                assert settled == 0 and f"settle-{wid}-settle" not in ours
                assert f"settle-{wid}-receipt" not in ours
            else:
                assert settled == 1 and ours.count(f"settle-{wid}-settle") == 1
                out = settlement.compute(world["waybill"], [], entries)[3]
                assert carrier == out.payee_total_fen
                if world["waybill"].kind == "retail":
                    assert ledger.balance(ledger.account("escrow", wid)) == 0

"""Settlement arithmetic on plain values (no DynamoDB): properties over random loads and contracts."""

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.settlement import rules

terms_st = st.builds(
    rules.Terms,
    allowance_kind=st.sampled_from(("kg", "permille")),
    allowance_value=st.integers(0, 500),
    prepaid_permille=st.integers(0, 1000),
    prepaid_form=st.sampled_from(("cash", "fuel_card")),
    fee_permille=st.integers(0, 200),
    rounding_fen=st.sampled_from((1, 100, 1000)),
)


@st.composite
def loads(draw):
    net = draw(st.integers(0, 60_000))
    price = draw(st.integers(0, 200_000))
    freight = draw(st.integers(0, 50_000))
    retail = draw(st.booleans())
    ordered = draw(st.integers(0, 60_000))
    return rules.Load(
        net_kg=net,
        price_fen_per_t=price,
        freight_fen_per_t=freight,
        received_kg=draw(st.integers(0, net + 500)),
        ordered_kg=ordered if retail else None,
        paid_coal_fen=rules.fen_of(ordered, price) if retail else None,
        paid_freight_fen=rules.fen_of(ordered, freight) if retail else None,
        adjustments_fen=tuple(draw(st.lists(st.integers(-100_000, 100_000), max_size=3))),
        detention_fen=draw(st.integers(0, 100_000)),
    )


def adjusted(out):
    """(bonuses paid, deductions taken) in fen: each adjustment is its own line."""
    lines = [line for line in out.lines if line.part == "adjustment"]
    return sum(x.fen for x in lines if x.target == "payee"), sum(x.fen for x in lines if x.source == "payee")


def balances(lines):
    """Each role's balance change: credits minus debits."""
    moved = Counter()
    for line in lines:
        moved[line.source] -= line.fen
        moved[line.target] += line.fen
    return moved


@settings(max_examples=400, deadline=None)
@given(terms_st, loads())
def test_no_fen_is_created_or_lost(terms, load):
    out = rules.settle(terms, load)
    moved = balances(out.lines)
    assert sum(moved.values()) == 0  # Σ legs = 0
    assert all(line.fen >= 0 for line in out.lines)
    # The payer parts with exactly coal + freight + any bonus; a retail escrow ends empty.
    paid_out = -moved["payer"]
    bonus, deducted = adjusted(out)
    assert paid_out == out.coal_fen + out.coal_refund_fen + out.freight_fen + out.freight_refund_fen + bonus
    assert out.adjustments_fen == bonus - deducted
    if load.paid_coal_fen is not None:
        assert bonus == 0 and paid_out == load.paid_coal_fen + load.paid_freight_fen
    # Freight splits into its parts without a fen left over.
    parts = out.prepaid_fen + out.fee_fen + out.loss_deduction_fen + out.receipt_payout_fen + out.rounding_fen
    assert parts == out.freight_fen


@settings(max_examples=400, deadline=None)
@given(terms_st, loads())
def test_deductions_never_exceed_the_freight_and_payouts_are_never_negative(terms, load):
    out = rules.settle(terms, load)
    bonus, deducted = adjusted(out)
    assert out.fee_fen + out.loss_deduction_fen + deducted <= out.freight_fen + bonus
    assert out.prepaid_fen >= 0 and out.receipt_payout_fen >= 0 and out.payee_total_fen >= 0
    assert balances(out.lines)["payee"] == out.payee_total_fen >= 0


@settings(max_examples=300, deadline=None)
@given(terms_st, loads())
def test_payouts_are_rounded_down_and_the_rest_stays_with_the_payer(terms, load):
    out = rules.settle(terms, load)
    unit = terms.rounding_fen
    receipt_line = next(line for line in out.lines if line.part == "freight_on_receipt")
    assert receipt_line.fen % unit == 0 and out.prepaid_fen % unit == 0
    assert 0 <= out.rounding_fen < unit
    rounding = next(line for line in out.lines if line.part == "rounding")
    assert (rounding.source, rounding.target, rounding.fen) == ("payer", "payer_refund", out.rounding_fen)


@settings(max_examples=300, deadline=None)
@given(terms_st, loads())
def test_loss_within_the_allowance_costs_nothing_and_beyond_it_costs_the_coal_price(terms, load):
    out = rules.settle(terms, load)
    loss = max(0, load.net_kg - load.received_kg)
    assert out.loss_kg == loss
    if loss <= out.allowance_kg:
        assert out.loss_deduction_fen == 0
    else:
        owed = (loss - out.allowance_kg) * load.price_fen_per_t // 1000
        assert out.loss_deduction_fen + out.loss_uncollected_fen == owed


def test_a_worked_example_a_driver_can_check():
    """33.5 t loaded, 33.38 t received, 2 ‰ allowance (67 kg): 53 kg lost beyond it at 820 ¥/t."""
    terms = rules.Terms(allowance_kind="permille", allowance_value=2, prepaid_permille=300, fee_permille=30)
    load = rules.Load(net_kg=33_500, received_kg=33_380, price_fen_per_t=82_000, freight_fen_per_t=12_000)
    out = rules.settle(terms, load)
    assert out.freight_fen == 402_000  # 33.5 t × 120 ¥
    assert out.prepaid_fen == 120_600  # 30 %, already whole yuan
    assert out.fee_fen == 12_060
    assert (out.loss_kg, out.allowance_kg, out.excess_loss_kg) == (120, 67, 53)
    assert out.loss_deduction_fen == 4_346  # 53 kg × 820 ¥/t = 43.46 ¥
    assert out.receipt_payout_fen == 264_900  # 2 649.94 ¥ paid as 2 649 ¥
    assert out.rounding_fen == 94
    assert out.coal_fen == 2_747_000


def test_kg_allowance_and_a_retail_short_load_refunds_the_buyer():
    terms = rules.Terms(allowance_kind="kg", allowance_value=100, rounding_fen=1000)
    load = rules.Load(
        net_kg=29_000,
        received_kg=28_950,
        price_fen_per_t=80_000,
        freight_fen_per_t=10_000,
        ordered_kg=30_000,
        paid_coal_fen=2_400_000,
        paid_freight_fen=300_000,
    )
    out = rules.settle(terms, load)
    assert out.loss_deduction_fen == 0  # 50 kg lost, 100 kg allowed
    assert out.coal_fen == 2_320_000 and out.coal_refund_fen == 80_000  # one tonne short
    assert out.freight_refund_fen == 10_000
    assert out.prepaid_fen % 1000 == 0 and out.receipt_payout_fen % 1000 == 0  # 抹零 to 10 yuan


def test_a_huge_loss_takes_no_more_than_the_freight_still_held():
    terms = rules.Terms(prepaid_permille=500, fee_permille=0, rounding_fen=1)
    load = rules.Load(net_kg=30_000, received_kg=20_000, price_fen_per_t=100_000, freight_fen_per_t=10_000)
    out = rules.settle(terms, load)
    assert out.loss_deduction_fen == 150_000 and out.receipt_payout_fen == 0
    assert out.loss_uncollected_fen > 0


def test_detention_only_for_an_on_time_truck_beyond_the_free_time():
    terms = rules.Terms(detention_free_minutes=120, detention_fen_per_hour=6000)
    hour = 3_600_000
    window = {"slot_start_ms": 10 * hour, "slot_end_ms": 12 * hour}
    on_time = rules.detention_fen(terms, checked_in_at=10 * hour, entered_at=13 * hour + 30 * 60_000, **window)
    assert on_time == 9000  # 3.5 h waited, 2 h free: 1.5 h × 60 ¥
    assert rules.detention_fen(terms, checked_in_at=10 * hour, entered_at=11 * hour, **window) == 0
    late = rules.detention_fen(terms, checked_in_at=12 * hour + 1, entered_at=20 * hour, **window)
    assert late == 0
    assert rules.detention_fen(terms, checked_in_at=None, entered_at=20 * hour, **window) == 0


def test_a_thousand_random_waybills_settle_once_each_and_balance():
    """Random weights, losses and disputes: each trigger posts once, Σ = 0, nobody's balance below zero."""
    rng = random.Random(20261129)
    posted, balance = set(), Counter()
    settled = 0
    for number in range(1000):
        terms = rules.Terms(
            allowance_kind=rng.choice(("kg", "permille")),
            allowance_value=rng.randint(0, 300),
            prepaid_permille=rng.randint(0, 600),
            fee_permille=rng.randint(0, 60),
            rounding_fen=rng.choice((1, 100, 1000)),
        )
        net = rng.randint(20_000, 40_000)
        ordered = rng.randint(20_000, 40_000)
        retail = rng.random() < 0.5
        price, freight = rng.randint(50_000, 120_000), rng.randint(5_000, 20_000)
        load = rules.Load(
            net_kg=net,
            received_kg=net - rng.choice((0, rng.randint(0, 200), rng.randint(0, 3000))),
            price_fen_per_t=price,
            freight_fen_per_t=freight,
            ordered_kg=ordered if retail else None,
            paid_coal_fen=rules.fen_of(ordered, price) if retail else None,
            paid_freight_fen=rules.fen_of(ordered, freight) if retail else None,
            adjustments_fen=(rng.randint(-20_000, 20_000),) if rng.random() < 0.2 else (),
            detention_fen=rng.choice((0, 0, rng.randint(0, 30_000))),
        )
        payer = f"escrow:{number}" if retail else "shipper:1"
        if retail:
            balance[payer] += load.paid_coal_fen + load.paid_freight_fen
            balance["provider"] -= load.paid_coal_fen + load.paid_freight_fen
        balance["shipper:1"] += 0 if retail else 10**9
        balance["clearing"] -= 0 if retail else 10**9
        disputed = rng.random() < 0.1
        triggers = [rules.WEIGH_OUT] + ([] if disputed else [rules.RECEIPT, rules.SETTLE])
        # Duplicated notifications: a trigger may arrive twice; the entry id keeps it once.
        for trigger in triggers + rng.sample(triggers, k=rng.randint(0, len(triggers))):
            entry = (number, trigger)
            if entry in posted:
                continue
            posted.add(entry)
            for line in rules.settle(terms, load).lines_for(trigger):
                names = {"payer": payer, "payer_refund": "buyer" if retail else "shipper:1"}
                names.update(payee="carrier", sales="sales", platform_fee="fee")
                balance[names[line.source]] -= line.fen
                balance[names[line.target]] += line.fen
        settled += not disputed
        assert balance[payer] >= 0
    assert sum(balance.values()) == 0
    assert sum(1 for entry in posted if entry[1] == rules.SETTLE) == settled
    assert all(balance[name] >= 0 for name in ("carrier", "buyer", "fee", "shipper:1"))
    escrows = [name for name in balance if name.startswith("escrow:")]
    # A settled retail escrow is empty; a disputed one still holds what the weigh-out left.
    assert all(balance[name] >= 0 for name in escrows)


@settings(max_examples=300, deadline=None)
@given(terms_st, terms_st, loads())
def test_terms_changed_after_weigh_out_still_add_up(before, after, load):
    """The rest is counted from the prepaid part actually paid, whatever the contract says now."""
    paid = rules.prepaid_fen(before, load)
    out = rules.settle(after, rules.Load(**{**load.__dict__, "prepaid_paid_fen": paid}))
    assert out.prepaid_fen == paid
    parts = out.prepaid_fen + out.fee_fen + out.loss_deduction_fen + out.receipt_payout_fen + out.rounding_fen
    assert parts == out.freight_fen and out.receipt_payout_fen >= 0

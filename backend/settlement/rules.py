"""Settlement arithmetic on plain integers (fen, kg): what each party gets for one truckload, no DynamoDB.

Weights: coal is charged on the mine's net weight (waybill.net_kg, the weighbridge at the mine); freight is
paid on the same loaded net (按装车净重), so every part of it is known at weigh-out; the buyer's received
weight (waybill.received_kg, from the receipt) only measures the loss in transit (途损).

A settlement is a list of transfers (`Line`: part, from, to, fen >= 0, trigger). Accounts are named by
role here ("payer", "payee", "sales", "platform_fee", "payer_refund": the buyer's
wallet for a retail load paid into escrow, the shipper's prepaid balance for a bulk load); the service maps
them onto ledger accounts. Each transfer is one debit and one credit of the same amount, so Σ legs = 0 by
construction; what the tests check is that no fen is created or lost across the parts (the payer's money
in equals everything paid out) and that no payout goes negative.
"""

from dataclasses import dataclass, field

PER_MILLE = 1000
KG_PER_T = 1000

# When each part moves (the service posts a trigger's lines in the transaction of that waybill move).
WEIGH_OUT = "weigh_out"  # the truck leaves the mine loaded: the prepaid cash / fuel-card part
RECEIPT = "receipt"  # the buyer confirms the receipt (回单付): the rest of the freight, fee, loss
# confirmed → settled: coal to the sales company, refunds, detention, adjustments (added up to this moment)
SETTLE = "settle"
TRIGGERS = (WEIGH_OUT, RECEIPT, SETTLE)


@dataclass(frozen=True)
class Terms:
    """A contract's settlement terms (per mine, or per shipper at a mine)."""

    allowance_kind: str = "permille"  # "kg": kg per truck | "permille": ‰ of the loaded net
    allowance_value: int = 2  # 2 ‰ of the net, or that many kg per truck
    prepaid_permille: int = 300  # share of the freight released at weigh-out
    prepaid_form: str = "cash"  # cash | fuel_card (油卡): how the weigh-out part is paid
    fee_permille: int = 30  # platform service fee, taken from the freight
    rounding_fen: int = 100  # 抹零: the payee's receipt payout rounded down to 1 (none), 100 (yuan) or 1000 (10 yuan)
    detention_free_minutes: int = 120  # waiting at the mine free of charge after an on-time check-in
    detention_fen_per_hour: int = 5000  # 压车费 owed by the mine's sales company beyond the free time


@dataclass(frozen=True)
class Load:
    """The facts of one truckload the arithmetic needs."""

    net_kg: int  # mine's net (gross − tare)
    price_fen_per_t: int  # coal price
    freight_fen_per_t: int
    received_kg: int | None = None  # from the receipt; None before it
    ordered_kg: int | None = None  # the tonnage the buyer paid for (retail)
    paid_coal_fen: int | None = None  # coal money in escrow (retail); None: a shipper's bulk load, no cap
    paid_freight_fen: int | None = None  # freight money in escrow (retail, the quote); None: bulk, no cap
    # Each: signed fen (+ a bonus to the payee, − a deduction), or (note, signed fen) to name it on its line.
    adjustments_fen: tuple = ()
    detention_fen: int = 0
    prepaid_paid_fen: int | None = None  # the prepaid part as posted at weigh-out (terms may change after)


@dataclass(frozen=True)
class Line:
    """One ledger line: `fen` moves from one role's account to another's when `trigger` happens."""

    part: str
    source: str
    target: str
    fen: int
    trigger: str
    note: str | None = None  # an adjustment's reason


@dataclass
class Breakdown:
    """Every figure of a settlement, for the ledger (lines) and for the earnings screen (the rest)."""

    lines: list = field(default_factory=list)
    coal_fen: int = 0
    coal_refund_fen: int = 0
    freight_fen: int = 0
    freight_refund_fen: int = 0
    prepaid_fen: int = 0
    fee_fen: int = 0
    loss_kg: int = 0
    allowance_kg: int = 0
    excess_loss_kg: int = 0
    loss_deduction_fen: int = 0
    loss_uncollected_fen: int = 0
    adjustments_fen: int = 0
    receipt_payout_fen: int = 0
    rounding_fen: int = 0
    detention_fen: int = 0

    @property
    def payee_total_fen(self):
        """What the carrier (or owner-driver) receives for the load in all."""
        return self.prepaid_fen + self.receipt_payout_fen + self.detention_fen + self.adjustments_fen

    def lines_for(self, trigger):
        return [line for line in self.lines if line.trigger == trigger and line.fen]


def fen_of(kg, fen_per_t):
    """Money for a weight at a price per tonne, rounded down to the fen."""
    return kg * fen_per_t // KG_PER_T


def round_down(fen, unit):
    """抹零: `fen` rounded down to a multiple of `unit` (1 means no rounding)."""
    return fen - fen % max(1, unit)


def allowance_kg(terms, net_kg):
    """The loss in transit the contract tolerates for this load."""
    if terms.allowance_kind == "kg":
        return terms.allowance_value
    return net_kg * terms.allowance_value // PER_MILLE


def freight_fen(load):
    """Freight before deductions, on the loaded net; retail: never more than the buyer paid for it."""
    due = fen_of(load.net_kg, load.freight_fen_per_t)
    return due if load.paid_freight_fen is None else min(due, load.paid_freight_fen)


def prepaid_fen(terms, load):
    """The part released at weigh-out (cash or fuel card), rounded like every payee payout."""
    return round_down(freight_fen(load) * terms.prepaid_permille // PER_MILLE, terms.rounding_fen)


def detention_fen(terms, *, checked_in_at, slot_start_ms, slot_end_ms, entered_at):
    """压车费 for a truck that checked in inside its window and waited beyond the free time, else 0."""
    if None in (checked_in_at, slot_start_ms, slot_end_ms, entered_at):
        return 0
    if not slot_start_ms <= checked_in_at <= slot_end_ms:
        return 0  # early or late arrivals wait at their own risk
    waited_min = max(0, entered_at - checked_in_at) // 60_000
    billable_min = max(0, waited_min - terms.detention_free_minutes)
    return billable_min * terms.detention_fen_per_hour // 60


def waited_minutes(*, checked_in_at, entered_at):
    """Whole minutes from check-in to gate entry (for the screen)."""
    if checked_in_at is None or entered_at is None:
        return None
    return max(0, entered_at - checked_in_at) // 60_000


def settle(terms, load):
    """The whole breakdown of one load. Needs received_kg for the receipt and settle parts."""
    out = Breakdown()
    _coal(out, load)
    _freight(out, terms, load)
    if load.detention_fen:
        out.detention_fen = load.detention_fen
        out.lines.append(Line("detention", "sales", "payee", load.detention_fen, SETTLE))
    return out


def _coal(out, load):
    """Coal at the mine's net and price; retail: never more than was paid, the surplus refunded."""
    charge = fen_of(load.net_kg, load.price_fen_per_t)
    if load.paid_coal_fen is not None:
        charge = min(charge, load.paid_coal_fen)
        out.coal_refund_fen = load.paid_coal_fen - charge
        out.lines.append(Line("coal_refund", "payer", "payer_refund", out.coal_refund_fen, SETTLE))
    out.coal_fen = charge
    out.lines.append(Line("coal", "payer", "sales", charge, SETTLE))


def _freight(out, terms, load):
    """Freight parts: prepaid at weigh-out; at the receipt the fee, the loss and the rest.

    Everything deducted comes out of what is still held after the prepaid part, so the receipt payout is
    never negative; a loss worth more than that is reported (loss_uncollected_fen), not taken.
    """
    out.freight_fen = freight_fen(load)
    if load.paid_freight_fen is not None:
        out.freight_refund_fen = load.paid_freight_fen - out.freight_fen
        out.lines.append(Line("freight_refund", "payer", "payer_refund", out.freight_refund_fen, SETTLE))
    out.prepaid_fen = prepaid_fen(terms, load)
    if load.prepaid_paid_fen is not None:  # what went out at weigh-out is what the rest is counted from
        out.prepaid_fen = min(load.prepaid_paid_fen, out.freight_fen)
    out.lines.append(Line(f"prepaid_{terms.prepaid_form}", "payer", "payee", out.prepaid_fen, WEIGH_OUT))
    held = out.freight_fen - out.prepaid_fen
    out.fee_fen = min(out.freight_fen * terms.fee_permille // PER_MILLE, held)
    held -= out.fee_fen
    out.lines.append(Line("service_fee", "payer", "platform_fee", out.fee_fen, RECEIPT))
    received = load.net_kg if load.received_kg is None else load.received_kg
    out.loss_kg = max(0, load.net_kg - received)
    out.allowance_kg = allowance_kg(terms, load.net_kg)
    out.excess_loss_kg = max(0, out.loss_kg - out.allowance_kg)
    owed = fen_of(out.excess_loss_kg, load.price_fen_per_t)
    out.loss_deduction_fen = min(owed, held)
    out.loss_uncollected_fen = owed - out.loss_deduction_fen
    held -= out.loss_deduction_fen
    out.lines.append(Line("loss_deduction", "payer", "payer_refund", out.loss_deduction_fen, RECEIPT))
    rest = held
    paid_rest = round_down(rest, terms.rounding_fen)
    out.rounding_fen = rest - paid_rest
    out.receipt_payout_fen = paid_rest
    out.lines.append(Line("freight_on_receipt", "payer", "payee", paid_rest, RECEIPT))
    # 抹零: the rounded-off fen stay the payer's (its refund account), so none is created or lost.
    out.lines.append(Line("rounding", "payer", "payer_refund", out.rounding_fen, RECEIPT))
    _adjustments(out, load)


def adjustment_items(load):
    """(note, signed fen) of each adjustment, in the order they were added."""
    return [item if isinstance(item, tuple) else (None, item) for item in load.adjustments_fen]


def _adjustments(out, load):
    """Each adjustment its own line at settlement: a bonus on top, a deduction back to the payer's refund.

    A deduction takes at most what the payee got for this load so far (freight and earlier bonuses), so the
    payee's total is never negative. A retail buyer paid a fixed sum up front: a bonus there has no payer
    (the API refuses it), so only deductions apply.
    """
    earned = out.prepaid_fen + out.receipt_payout_fen
    for note, fen in adjustment_items(load):  # one line each, 0 fen where nothing applies
        if fen >= 0:
            paid = fen if load.paid_freight_fen is None else 0
            out.lines.append(Line("adjustment", "payer", "payee", paid, SETTLE, note))
            earned += paid
            out.adjustments_fen += paid
        else:
            taken = min(-fen, earned)
            out.lines.append(Line("adjustment", "payee", "payer_refund", taken, SETTLE, note))
            earned -= taken
            out.adjustments_fen -= taken

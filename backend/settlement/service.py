"""Settlement of one waybill: its contract terms, the breakdown the parties see, and the ledger postings."""

import logging
import uuid

from backend import events
from backend.appointments.booking import service as bookings
from backend.common.errors import Conflict, NotFound, field_error
from backend.common.transactions import TxOp
from backend.config import setting
from backend.ledger import service as ledger
from backend.receipts import service as receipts
from backend.settlement import rules, store
from backend.settlement.models import Adjustment, SettlementTerms
from backend.waybills import service as waybills

log = logging.getLogger("coalhaul.settlement")
ENTER_ACTIONS = ("enter", "enter_override")
CLOSED_STATES = ("settled", "cancelled", "expired")  # no adjustment once the money is final or never moves
ADJUST_MAX_FEN = 10_000_000  # 100,000 yuan either way: beyond any one truckload's freight
ADJUSTERS = ("dispatcher", "admin")  # who acts for the sales company and the dispatch centre
# Settling is the platform's own act: it reads the waybill's history as the dispatch centre may.
SETTLER = waybills.SystemActor("settlement")
HISTORY_READER = waybills.SystemActor("settlement", role="dispatcher")
TERM_FIELDS = (
    "allowance_kind",
    "allowance_value",
    "prepaid_permille",
    "prepaid_form",
    "fee_permille",
    "rounding_fen",
    "detention_free_minutes",
    "detention_fen_per_hour",
)


def default_terms():
    """Terms where no contract is recorded: the rule defaults, detention from the settings."""
    return rules.Terms(
        detention_free_minutes=setting("DETENTION_FREE_MINUTES"),
        detention_fen_per_hour=setting("DETENTION_FEN_PER_HOUR"),
    )


def terms_for(mine_id, shipper_id=None, records=None):
    """(terms, source): the shipper's contract at the mine, else the mine's, else the defaults."""
    for record in store.candidates(mine_id, shipper_id) if records is None else records:
        return rules.Terms(**{name: getattr(record, name) for name in TERM_FIELDS}), record.terms_id
    return default_terms(), "default"


def terms_and_adjustments(waybill):
    """(terms, source, adjustments record or None) of a waybill: one BatchGetItem."""
    records, adjustments = store.candidates_and_adjustments(waybill.mine_id, waybill.shipper_id, waybill.waybill_id)
    return (*terms_for(waybill.mine_id, waybill.shipper_id, records), adjustments)


def save_terms(*, mine_id, shipper_id=None, actor_id, now_ms, **terms):
    """Record a contract's terms (whole: every field), checked before saving."""
    if terms["allowance_kind"] not in ("kg", "permille"):
        raise field_error("allowance_kind", "must be kg or permille")
    if terms["rounding_fen"] not in (1, 100, 1000):
        raise field_error("rounding_fen", "must be 1, 100 or 1000")
    if terms["prepaid_form"] not in ("cash", "fuel_card"):
        raise field_error("prepaid_form", "must be cash or fuel_card")
    record = SettlementTerms(
        store.terms_id(mine_id, shipper_id),
        mine_id=mine_id,
        shipper_id=shipper_id,
        updated_at=now_ms,
        updated_by=actor_id,
        **{name: terms[name] for name in TERM_FIELDS},
    )
    return store.save(record)


def entered_at(history):
    """When the truck went through the gate: the first enter event's time."""
    return next((event.at for event in history if event.action in ENTER_ACTIONS), None)


def _booking(waybill):
    if not waybill.booking_id:
        return None
    try:
        return bookings.get(waybill.booking_id)
    except NotFound:
        return None


def detention(terms, waybill, history):
    """The detention facts of a waybill: check-in against its window, the wait, the fee."""
    booking = _booking(waybill)
    facts = {
        "checked_in_at": booking.checked_in_at if booking else None,
        "slot_start_ms": booking.slot_start_ms if booking else None,
        "slot_end_ms": booking.slot_end_ms if booking else None,
        "entered_at": entered_at(history),
    }
    fee = rules.detention_fen(terms, **facts)
    on_time = None
    if facts["checked_in_at"] is not None and facts["slot_start_ms"] is not None:
        on_time = facts["slot_start_ms"] <= facts["checked_in_at"] <= facts["slot_end_ms"]
    return {
        **facts,
        "on_time": on_time,
        "waited_minutes": rules.waited_minutes(checked_in_at=facts["checked_in_at"], entered_at=facts["entered_at"]),
        "free_minutes": terms.detention_free_minutes,
        "fen_per_hour": terms.detention_fen_per_hour,
        "fen": fee,
    }


def prepaid_posted(waybill, entries):
    """The payee's credit in the weigh-out entry, if that entry was posted on its own; else None."""
    wanted = entry_id(waybill.waybill_id, rules.WEIGH_OUT)
    for entry in entries:
        if entry.entry_id == wanted:
            payee = accounts_of(waybill)["payee"]
            return sum(int(amount) for account_id, amount in entry.legs if account_id == payee)
    return None


def adjustment_list(record):
    """The adjustments of a record (None: none added), in the order they were added."""
    return list(record.adjustments) if record is not None else []


def load_of(waybill, detention_fen=0, prepaid_paid_fen=None, adjustments=()):
    """The rules' view of a waybill; a retail load's coal and freight are capped by its paid quote."""
    retail = waybill.kind == "retail" and bool(waybill.quote)
    quote = waybill.quote or {}
    return rules.Load(
        net_kg=int(waybill.net_kg or 0),
        price_fen_per_t=int(waybill.price_fen_per_t or 0),
        freight_fen_per_t=int(waybill.freight_fen_per_t or 0),
        received_kg=None if waybill.received_kg is None else int(waybill.received_kg),
        ordered_kg=int(waybill.tonnage_kg) if retail else None,
        paid_coal_fen=int(quote.get("coal_fen", 0)) if retail else None,
        paid_freight_fen=int(quote.get("freight_fen", 0)) if retail else None,
        detention_fen=detention_fen,
        prepaid_paid_fen=prepaid_paid_fen,
        adjustments_fen=tuple((item.reason, int(item.fen)) for item in adjustments),
    )


def compute(waybill, history, entries=(), read=None):
    """(terms, terms source, detention facts, breakdown) of a waybill as it stands, given its ledger entries.

    `read` is `terms_and_adjustments(waybill)` when the caller has it already.
    """
    terms, source, record = read or terms_and_adjustments(waybill)
    waiting = detention(terms, waybill, history)
    load = load_of(waybill, waiting["fen"], prepaid_posted(waybill, entries), adjustment_list(record))
    return terms, source, waiting, rules.settle(terms, load)


def breakdown(principal, waybill_id):
    """What the parties see: every figure of the settlement with the weights, allowance and prices used."""
    waybill = waybills.get_visible(principal, waybill_id)
    entries = settlement_entries(waybill_id)
    read = terms_and_adjustments(waybill)
    terms, source, waiting, out = compute(waybill, waybills.history(principal, waybill_id), entries, read)
    adjustments = adjustment_list(read[2])
    applied = [line.fen for line in out.lines if line.part == "adjustment"]
    return {
        "waybill_id": waybill.waybill_id,
        "state": waybill.state,
        "status": status_of(waybill),
        "payee": "carrier" if waybill.carrier_id else "driver",
        "retail": waybill.kind == "retail" and bool(waybill.quote),
        "weights": {
            "net_kg": waybill.net_kg,
            "received_kg": waybill.received_kg,
            "ordered_kg": waybill.tonnage_kg,
            "freight_basis": "net_kg",
        },
        "prices": {"coal_fen_per_t": waybill.price_fen_per_t, "freight_fen_per_t": waybill.freight_fen_per_t},
        "terms": {"source": source, **{name: getattr(terms, name) for name in TERM_FIELDS}},
        "detention": waiting,
        "figures": figures(out),
        "lines": [
            {
                "part": line.part,
                "from": line.source,
                "to": line.target,
                "fen": line.fen,
                "trigger": line.trigger,
                "note": line.note,
            }
            for line in out.lines
            if line.fen
        ],
        "adjustments": [
            {
                "adjustment_id": item.adjustment_id,
                "reason": item.reason,
                "fen": int(item.fen),
                "applied_fen": fen if item.fen > 0 else -fen,
                "by": item.by,
                "by_role": item.by_role,
                "at": int(item.at),
            }
            for item, fen in zip(adjustments, applied)
        ],
        "adjustable": waybill.state not in CLOSED_STATES and not (read[2] and read[2].closed_at),
    }


FIGURES = (
    "coal_fen",
    "coal_refund_fen",
    "freight_fen",
    "freight_refund_fen",
    "prepaid_fen",
    "fee_fen",
    "loss_kg",
    "allowance_kg",
    "excess_loss_kg",
    "loss_deduction_fen",
    "loss_uncollected_fen",
    "adjustments_fen",
    "receipt_payout_fen",
    "rounding_fen",
    "detention_fen",
    "payee_total_fen",
)


def figures(out):
    return {name: getattr(out, name) for name in FIGURES}


def status_of(waybill):
    """Where the money stands: estimate before weighing, waiting for the receipt, held by a dispute, final."""
    if waybill.net_kg is None:
        return "not_weighed"
    if waybill.state == "disputed":
        return "disputed"
    if waybill.state == "settled":
        return "settled"
    if waybill.state == "confirmed":
        return "confirmed"
    return "in_progress"


def accounts_of(waybill):
    """The rules' roles as ledger accounts: who pays (escrow or the shipper's prepaid), who is paid."""
    retail = waybill.kind == "retail" and bool(waybill.quote)
    if retail:
        payer, refund = ledger.account("escrow", waybill.waybill_id), ledger.account("buyer_wallet", waybill.buyer_id)
    elif waybill.shipper_id:
        payer = refund = ledger.prepaid_account(waybill.shipper_id, waybill.mine_id)  # with this mine's sales
    else:  # neither paid into escrow nor drawn from a shipper's balance: nobody to take the money from
        raise Conflict("settlement_no_payer", "this waybill has no paid order and no shipper to settle from")
    if not (waybill.carrier_id or waybill.driver_id):
        raise Conflict("settlement_no_payee", "this waybill has no carrier or driver to pay")
    payee = (
        ledger.account("carrier", waybill.carrier_id)
        if waybill.carrier_id
        else ledger.account("driver", waybill.driver_id)
    )
    return {
        "payer": payer,
        "payer_refund": refund,
        "payee": payee,
        "sales": ledger.account("sales", waybill.mine_id),
        "platform_fee": ledger.account("platform_fee"),
    }


def settlement_entries(waybill_id):
    """The waybill's settlement entries posted so far, by their known ids with consistent reads.

    Not through the ledger's by-waybill index: an index may lag a posting made a moment ago, and deciding
    from it could carry a part already posted into the next entry and pay it twice.
    """
    return ledger.entries([entry_id(waybill_id, trigger) for trigger in rules.TRIGGERS])


def entry_id(waybill_id, trigger):
    """One ledger entry per waybill and trigger: a retried event finds it posted and moves nothing."""
    return f"settle-{waybill_id}-{trigger}"


def legs_of(lines, accounts):
    """Ledger legs (account, signed fen) of a trigger's lines."""
    legs = []
    for line in lines:
        legs += [(accounts[line.source], -line.fen), (accounts[line.target], line.fen)]
    return legs


def due_entry(waybill, out, *, upto, posted):
    """(entry id, legs, memo) of the parts due by trigger `upto` and not yet posted, or None.

    A trigger's entry also carries the parts of earlier triggers that were never posted (their moment
    passed while the payer could not pay, or the process stopped): so a part is done once its own entry
    or any later trigger's entry exists, and each part moves once. One entry, because a
    TransactWriteItems may touch an item only once (escrow and the payee appear in every part).
    """
    wid = waybill.waybill_id
    order = rules.TRIGGERS[: rules.TRIGGERS.index(upto) + 1]
    done = [index for index, trigger in enumerate(rules.TRIGGERS) if entry_id(wid, trigger) in posted]
    due = order[max(done) + 1 :] if done else order
    lines = [line for trigger in due for line in out.lines_for(trigger)]
    legs = legs_of(lines, accounts_of(waybill))
    if not due or not any(fen for _, fen in _merged(legs)):
        return None
    parts = ", ".join(f"{line.part} {line.fen}" for line in lines)
    return entry_id(wid, due[-1]), legs, f"waybill {wid} {'+'.join(due)}: {parts}"


def posting_steps(waybill, out, *, upto, posted, now_ms):
    """Ledger steps of the due entry for the caller's transaction (none when nothing is due)."""
    due = due_entry(waybill, out, upto=upto, posted=posted)
    if due is None:
        return []
    entry, legs, memo = due
    return ledger.posting_steps(entry_id=entry, legs=legs, memo=memo, now_ms=now_ms, waybill_id=waybill.waybill_id)


def release(*, waybill_id, trigger, now_ms, waybill=None):
    """Post the parts due at a trigger (weigh-out, confirmed receipt) right after it; True when posted.

    Called after the waybill's move has committed, so a refusal here must not undo it: a payer short of
    money, or any failure, leaves the parts for the next trigger (at the latest `settle`) and is logged.
    `waybill` is the record as that move left it (the announcer has it: no read again). Cost: the terms
    and the waybill's own entries (one batch read each) and the posting's transaction, whatever the history.
    """
    try:
        waybill = waybill if waybill is not None else waybills.get(waybill_id)
        terms, _ = terms_for(waybill.mine_id, waybill.shipper_id)
        entries = settlement_entries(waybill_id)
        out = rules.settle(terms, load_of(waybill, prepaid_paid_fen=prepaid_posted(waybill, entries)))
        posted = {entry.entry_id for entry in entries}
        due = due_entry(waybill, out, upto=trigger, posted=posted)
        if due is None:
            return False
        entry, legs, memo = due
        return ledger.post(entry_id=entry, legs=legs, memo=memo, now_ms=now_ms, waybill_id=waybill_id)
    except Exception:  # noqa: BLE001 - the gate's or the buyer's committed move must still answer 2xx
        log.warning("settlement %s of %s left for later", trigger, waybill_id, exc_info=True)
        return False


def on_weighed_out(*, waybill_id, now_ms, waybill=None):
    """events: the loaded truck was weighed: the prepaid cash / fuel-card part is released."""
    release(waybill_id=waybill_id, trigger=rules.WEIGH_OUT, now_ms=now_ms, waybill=waybill)


def on_delivery_confirmed(*, waybill_id, now_ms, waybill=None):
    """events: the buyer confirmed the receipt: the rest of the freight (回单付), fee and loss move."""
    release(waybill_id=waybill_id, trigger=rules.RECEIPT, now_ms=now_ms, waybill=waybill)


def _merged(legs):
    totals = {}
    for account_id, fen in legs:
        totals[account_id] = totals.get(account_id, 0) + fen
    return list(totals.items())


def settle(*, waybill_id, now_ms, actor=SETTLER):
    """confirmed → settled with every part not yet posted, in the one transaction of the waybill's move.

    A disputed waybill is not confirmed, so it waits; a settled one cannot settle again (409), and the
    entry ids keep any part posted earlier (weigh-out, receipt) from moving twice. The same transaction
    closes the waybill's adjustments as read, so one added meanwhile makes it read and build again.
    """
    entries = settlement_entries(waybill_id)
    posted = {entry.entry_id for entry in entries}
    history = waybills.history(HISTORY_READER, waybill_id)

    def build(waybill):
        read = terms_and_adjustments(waybill)
        out = compute(waybill, history, entries, read)[3]
        ops = posting_steps(waybill, out, upto=rules.SETTLE, posted=posted, now_ms=now_ms)
        version = int(read[2].version) if read[2] is not None else 0
        close = store.close_op(waybill_id, version=version, now_ms=now_ms)
        return {}, [*ops, TxOp(apply=close.apply, error=close.error, recover=lambda: True)], None

    moved = waybills.fresh_transition(waybill_id=waybill_id, action="settle", actor=actor, now_ms=now_ms, build=build)
    events.publish("waybill_settled", waybill_id=waybill_id, now_ms=now_ms, waybill=moved)  # the fund flow's cue
    return moved


def add_adjustment(*, principal, waybill_id, reason, fen, now_ms):
    """An agreed bonus (+) or deduction (−) to the payee's freight, before settlement; the new breakdown."""
    waybill = waybills.get_visible(principal, waybill_id)
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "say why the freight changes")
    if isinstance(fen, bool) or not isinstance(fen, int) or fen == 0 or abs(fen) > ADJUST_MAX_FEN:
        raise field_error("fen", f"a non-zero integer of fen, at most {ADJUST_MAX_FEN} either way")
    if fen > 0 and waybill.kind == "retail" and waybill.quote:
        raise field_error("fen", "a retail buyer paid a fixed sum: only a deduction (negative fen) applies")
    if waybill.state in CLOSED_STATES:
        raise Conflict("adjustments_closed", f"this waybill is {waybill.state}: no adjustment any more")
    item = Adjustment(
        adjustment_id=uuid.uuid4().hex[:12],
        reason=reason,
        fen=fen,
        by=principal.user_id,
        by_role=principal.role,
        at=now_ms,
    )
    store.add_adjustment(waybill_id, item)
    log.info("adjustment %s fen on %s by %s: %s", fen, waybill_id, principal.user_id, reason)
    return breakdown(principal, waybill_id)


def resolve(*, principal, waybill_id, reason, now_ms, received_kg=None):
    """disputed → confirmed with the agreed reason (kept in the waybill's history), then the job settles it.

    An agreed received weight replaces the buyer's in the same write, so the loss in transit is counted
    on it; the parts due at the receipt (回单付) are released at once, as a buyer's confirmation does.
    """
    waybills.get_visible(principal, waybill_id)
    if not reason.strip():
        raise field_error("reason", "say how the dispute was resolved")
    closing = receipts.resolve_step(
        waybill_id, resolution=reason.strip(), agreed_received_kg=received_kg, by=principal.user_id, now_ms=now_ms
    )
    waybills.transition(
        waybill_id=waybill_id,
        action="resolve_dispute",
        actor=principal,
        now_ms=now_ms,
        reason=reason,
        changes={} if received_kg is None else {"received_kg": received_kg},
        extra_ops=closing,
    )
    on_delivery_confirmed(waybill_id=waybill_id, now_ms=now_ms)

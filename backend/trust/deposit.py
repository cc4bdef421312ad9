"""The deposit (保证金) a driver of a low grade puts up on a grab, held in escrow until the load ends.

Taken inside the grab's own transaction (ledger.posting_steps: an entry, two balances, two journal lines, all
writes, no read), so a won grab stays two DynamoDB calls and a grab that cannot pay is refused whole with 409
`deposit_unpaid`. It is paid from the account the load's freight goes to: the carrier's (its drivers' loads), or an
owner-driver's own. The entry id and the amount ride on the waybill (deposit_entry, deposit_fen), so giving it back
reads nothing: when the load is delivered (confirmed, or its dispute resolved), given back or cancelled.
"""

from dataclasses import replace

from backend.common.errors import Conflict
from backend.ledger import service as ledger
from backend.trust import service

RELEASED_BY = ("confirm", "resolve_dispute", "unassign", "cancel")


def payer_account(*, driver_id, carrier_id):
    return ledger.account("carrier", carrier_id) if carrier_id else ledger.account("driver", driver_id)


def holding_account(waybill_id):
    return ledger.account("escrow", f"deposit-{waybill_id}")


def take(waybill, *, driver_standing, driver_id, carrier_id, now_ms):
    """(waybill changes, transaction steps) of the deposit a grab must take, or ({}, []) when none applies."""
    grade = service.live_grade(driver_standing)
    rule = service.deposit_rule(grade)
    if not (rule["active"] and rule["applies"]):
        return {}, []
    amount, payer = rule["amount_fen"], payer_account(driver_id=driver_id, carrier_id=carrier_id)
    # One entry per assignment: a load given back and grabbed again takes a new deposit under a new id.
    entry_id = f"deposit.{waybill.waybill_id}.v{waybill.version}"
    steps = ledger.posting_steps(
        entry_id=entry_id,
        legs=[(payer, -amount), (holding_account(waybill.waybill_id), amount)],
        memo="保证金 deposit on grab",
        now_ms=now_ms,
        waybill_id=waybill.waybill_id,
    )
    unpaid = Conflict(
        "deposit_unpaid",
        f"grade {grade or '-'} drivers put up a deposit of {amount} fen on a grab; {payer} cannot pay it",
        details={"amount_fen": amount, "account": payer},
    )
    steps = [
        replace(op, error=unpaid) if getattr(op.error, "code", None) == "insufficient_funds" else op for op in steps
    ]
    return {"deposit_entry": entry_id, "deposit_fen": amount, "deposit_from": payer}, steps


def on_waybill_moved(*, waybill, action, now_ms, **_):
    """events: waybill_moved: the load ended for this driver (delivered, given back, cancelled): the deposit goes back
    to whoever paid it, once (the release's entry id is the deposit's, suffixed)."""
    if action not in RELEASED_BY or not getattr(waybill, "deposit_entry", None):
        return False
    return ledger.post(
        entry_id=f"{waybill.deposit_entry}.back",
        legs=[
            (holding_account(waybill.waybill_id), -int(waybill.deposit_fen)),
            (waybill.deposit_from, int(waybill.deposit_fen)),
        ],
        memo="保证金 deposit returned",
        now_ms=now_ms,
        waybill_id=waybill.waybill_id,
    )

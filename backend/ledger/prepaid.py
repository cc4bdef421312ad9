"""Shippers' prepaid money (预付款): credit limits, bank transfers received, a shipper's position, receivables."""

import re
import unicodedata

from backend.accounts import service as accounts
from backend.catalogue import service as catalogue
from backend.common.access import require_org
from backend.common.clock import now_ms as clock_now_ms
from backend.common.errors import Conflict, NotFound, field_error
from backend.ledger import service

BANK = service.account("provider", "bank")  # the sales company's bank account, seen from the ledger
REFERENCE = re.compile(r"^[A-Z0-9]{4,64}$")
RECENT = 10  # entries shown with a position
# Receivables read every shipper's prepaid item: one paged index Query of the companies (about 1,300 carriers
# and shippers) plus one BatchGetItem per 100 shippers and one per 100 mines. Past this many shippers the
# reply would outgrow a phone screen and a Lambda's time; a sales company of that size needs a report job.
MAX_SHIPPERS = 2_000


def normalise_reference(raw):
    """The bank's transfer reference as one canonical text: full-width folded, spaces and dashes dropped, upper."""
    text = unicodedata.normalize("NFKC", str(raw or "")).upper()
    text = re.sub(r"[\s\-_/]", "", text)
    if not REFERENCE.match(text):
        raise field_error("bank_reference", "4 to 64 letters and digits of the bank's transfer reference")
    return text


def _shipper(org_id):
    """The shipper company, or 404 org_not_found (unknown ids and other kinds alike)."""
    org = accounts.find_org(org_id)
    if org is None or org.kind != "shipper":
        raise NotFound("org_not_found", "shipper not found")
    return org


def position(*, principal, org_id, org=None):
    """A shipper's balance, credit limit, what it can still spend and newest entries (its staff or sales side)."""
    require_org(principal, org_id)
    org = org or _shipper(org_id)
    account_id = service.account("shipper_prepaid", org_id)
    balance, limit, available = service.balances([account_id])[account_id]  # one read of the balance item
    return {
        "org_id": org_id,
        "name": org.name,
        "account": account_id,
        "balance": balance,
        "credit_limit": limit,
        "available": available,
        "entries": service.recent_lines(account_id, limit=RECENT),
    }


def set_credit_limit(*, principal, org_id, limit_fen, now_ms=None):
    """The sales company lets the shipper owe up to limit_fen; the new position is replied."""
    org = _shipper(org_id)
    service.set_credit_limit(org_id, limit_fen, now_ms=now_ms or clock_now_ms())
    return position(principal=principal, org_id=org_id, org=org)


def record_prepayment(*, principal, org_id, amount_fen, bank_reference, now_ms=None):
    """Bank → shipper_prepaid once per bank reference: recording the same transfer again moves nothing."""
    reference = normalise_reference(bank_reference)
    org = _shipper(org_id)
    account_id = service.account("shipper_prepaid", org_id)
    entry_id = f"prepay_bank_{reference}"
    legs = [(BANK, -amount_fen), (account_id, amount_fen)]
    posted = service.post(
        entry_id=entry_id, legs=legs, memo=f"预付款 prepayment {reference}", now_ms=now_ms or clock_now_ms()
    )
    if not posted:
        earlier = service.entry(entry_id)
        if earlier is None or sorted(map(tuple, earlier.legs)) != service.balanced(legs):
            # The reference names another transfer (other shipper or amount): refuse rather than guess.
            raise Conflict(
                "bank_reference_used",
                "this bank reference was recorded for another transfer",
                details={"fields": {"bank_reference": "already recorded with another shipper or amount"}},
            )
    reply = position(principal=principal, org_id=org_id, org=org)
    reply.update({"recorded": posted, "bank_reference": reference, "amount_fen": amount_fen})
    return reply


def receivables(*, mine_id=None):
    """Per mine the sales account's balance; per shipper owing money (negative prepaid) what it owes."""
    # Bound: see MAX_SHIPPERS (one paged Query of companies, a BatchGetItem per 100 accounts).
    mines = [catalogue.get_mine(mine_id)] if mine_id else catalogue.list_mines()
    shippers = [org for org in accounts.list_orgs() if org.kind == "shipper"]
    if len(shippers) > MAX_SHIPPERS:
        raise Conflict("too_many_shippers", f"more than {MAX_SHIPPERS} shippers: use the ledger export")
    sales = service.balances([service.account("sales", mine.mine_id) for mine in mines])
    prepaid = service.balances([service.account("shipper_prepaid", org.org_id) for org in shippers])
    everyone, owing = [], []
    for org in shippers:
        balance, limit, _ = prepaid[service.account("shipper_prepaid", org.org_id)]
        row = {
            "org_id": org.org_id,
            "name": org.name,
            "balance": balance,
            "credit_limit": limit,
            "owing": max(-balance, 0),
        }
        everyone.append(row)
        if balance < 0:
            owing.append(row)
    owing.sort(key=lambda row: (-row["owing"], row["name"]))
    everyone.sort(key=lambda row: row["name"])
    return {
        "mines": [
            {
                "mine_id": mine.mine_id,
                "name": mine.name,
                "name_en": mine.name_en,
                "sales_balance": sales[service.account("sales", mine.mine_id)][0],
            }
            for mine in mines
        ],
        "owing": owing,
        "total_owing": sum(row["owing"] for row in owing),
        "shippers": everyone,  # every shipper with its position: the screen's picker names them, never by id
    }

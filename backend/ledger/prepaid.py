"""Shippers' prepaid money (预付款) per mine's sales company: credit limits, bank transfers, positions, receivables."""

import re
import unicodedata

from backend.accounts import service as accounts
from backend.catalogue import service as catalogue
from backend.common.access import require_org
from backend.common.clock import now_ms as clock_now_ms
from backend.common.errors import Conflict, NotFound, field_error
from backend.ledger import service

REFERENCE = re.compile(r"^[A-Z0-9]{4,64}$")
RECENT = 10  # entries shown with a position
# Receivables read every shipper's prepaid item: one paged index Query of the companies (about 1,300 carriers
# and shippers) plus one BatchGetItem per 100 shippers and one per 100 mines. Past this many shippers the
# reply would outgrow a phone screen and a Lambda's time; a sales company of that size needs a report job.
MAX_SHIPPERS = 2_000


def bank(mine_id):
    """The mine's sales company's bank account, seen from the ledger."""
    return service.account("provider", f"bank@{mine_id}")


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


def _mines(mine_id=None):
    """The mines (each its own sales company) a position or the receivables cover: one, or every mine."""
    return [catalogue.get_mine(mine_id)] if mine_id else catalogue.list_mines()


def position(*, principal, org_id, mine_id=None, org=None):
    """A shipper's prepaid money per mine's sales company (its staff or the sales side).

    With a mine: that account's balance, credit limit, what it can still spend and its newest entries; without:
    the totals. Either way `mines` lists every mine's figures (one BatchGetItem per 100 mines).
    """
    require_org(principal, org_id)
    org = org or _shipper(org_id)
    mines = _mines()
    if mine_id and mine_id not in {mine.mine_id for mine in mines}:
        raise NotFound("mine_not_found", "mine not found")
    accounts = {mine.mine_id: service.prepaid_account(org_id, mine.mine_id) for mine in mines}
    figures = service.balances(list(accounts.values()))
    rows = [
        dict(
            zip(
                ("mine_id", "name", "name_en", "account", "balance", "credit_limit", "available"),
                (mine.mine_id, mine.name, mine.name_en, accounts[mine.mine_id], *figures[accounts[mine.mine_id]]),
            )
        )
        for mine in mines
    ]
    chosen = [row for row in rows if row["mine_id"] == mine_id] if mine_id else rows
    return {
        "org_id": org_id,
        "name": org.name,
        "mine_id": mine_id,
        "account": accounts[mine_id] if mine_id else None,
        "balance": sum(row["balance"] for row in chosen),
        "credit_limit": sum(row["credit_limit"] for row in chosen),
        "available": sum(row["available"] for row in chosen),
        "entries": service.recent_lines(accounts[mine_id], limit=RECENT) if mine_id else [],
        "mines": rows,
    }


def set_credit_limit(*, principal, org_id, mine_id, limit_fen, now_ms=None):
    """The mine's sales company lets the shipper owe it up to limit_fen; the shipper's position there is replied."""
    org = _shipper(org_id)
    catalogue.get_mine(mine_id)  # 404 for a mine that does not exist
    service.set_credit_limit(org_id, limit_fen, mine_id=mine_id, now_ms=now_ms or clock_now_ms())
    return position(principal=principal, org_id=org_id, mine_id=mine_id, org=org)


def record_prepayment(*, principal, org_id, mine_id, amount_fen, bank_reference, now_ms=None):
    """Bank → the shipper's prepaid at the mine, once per bank reference: recording it again moves nothing."""
    reference = normalise_reference(bank_reference)
    org = _shipper(org_id)
    catalogue.get_mine(mine_id)
    account_id = service.prepaid_account(org_id, mine_id)
    entry_id = f"prepay_bank_{reference}"
    legs = [(bank(mine_id), -amount_fen), (account_id, amount_fen)]
    posted = service.post(
        entry_id=entry_id, legs=legs, memo=f"预付款 prepayment {reference}", now_ms=now_ms or clock_now_ms()
    )
    if not posted:
        earlier = service.entry(entry_id)
        if earlier is None or sorted(map(tuple, earlier.legs)) != service.balanced(legs):
            # The reference names another transfer (other shipper, mine or amount): refuse rather than guess.
            raise Conflict(
                "bank_reference_used",
                "this bank reference was recorded for another transfer",
                details={"fields": {"bank_reference": "already recorded with another shipper, mine or amount"}},
            )
    reply = position(principal=principal, org_id=org_id, mine_id=mine_id, org=org)
    reply.update({"recorded": posted, "bank_reference": reference, "amount_fen": amount_fen})
    return reply


def receivables(*, mine_id=None):
    """Per mine the sales account's balance; per (shipper, mine) owing money (negative prepaid) what it owes."""
    # Bound: see MAX_SHIPPERS (one paged Query of companies, a BatchGetItem per 100 accounts).
    mines = _mines(mine_id)
    shippers = [org for org in accounts.list_orgs() if org.kind == "shipper"]
    if len(shippers) > MAX_SHIPPERS:
        raise Conflict("too_many_shippers", f"more than {MAX_SHIPPERS} shippers: use the ledger export")
    sales = service.balances([service.account("sales", mine.mine_id) for mine in mines])
    keys = [service.prepaid_account(org.org_id, mine.mine_id) for org in shippers for mine in mines]
    prepaid = {}
    for start in range(0, len(keys), 100):
        prepaid.update(service.balances(keys[start : start + 100]))
    everyone, owing = [], []
    for org in shippers:
        total = {"org_id": org.org_id, "name": org.name, "balance": 0, "credit_limit": 0, "owing": 0}
        for mine in mines:
            balance, limit, _ = prepaid[service.prepaid_account(org.org_id, mine.mine_id)]
            total.update(balance=total["balance"] + balance, credit_limit=total["credit_limit"] + limit)
            total["owing"] += max(-balance, 0)
            if balance < 0:
                owing.append(
                    {
                        "org_id": org.org_id,
                        "name": org.name,
                        "mine_id": mine.mine_id,
                        "balance": balance,
                        "credit_limit": limit,
                        "owing": -balance,
                    }
                )
        everyone.append(total)
    owing.sort(key=lambda row: (-row["owing"], row["name"], row["mine_id"]))
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
        "owing": owing,  # per (shipper, mine): each sales company's receivable
        "total_owing": sum(row["owing"] for row in owing),
        "shippers": everyone,  # every shipper with its totals over these mines: the screen's picker names them
    }

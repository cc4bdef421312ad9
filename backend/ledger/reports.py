"""What the ledger API shows a signed-in party: its own accounts' balances and statements, as JSON, CSV or XLSX."""

import re

from backend.common import pagination
from backend.common.clock import shanghai_midnight_ms
from backend.common.errors import NotFound, field_error
from backend.ledger import exports, service

# The account a role holds, from the caller's token: (kind, which claim names the owner).
OWN_ACCOUNT = {
    "buyer": ("buyer_wallet", "user_id"),
    "driver": ("driver", "user_id"),
    "carrier": ("carrier", "org_id"),
}
SEES_ALL = ("dispatcher", "admin")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EXPORT_PAGE = 500
EXPORT_MAX = 20_000  # a download is one response (Lambda replies ≤ 6 MB): longer periods are split by the user


def own_account(principal):
    """The caller's own account id, or None for roles without one."""
    kind, claim = OWN_ACCOUNT.get(principal.role, (None, None))
    owner = getattr(principal, claim) if claim else None
    return service.account(kind, owner) if owner else None


def visible_account(principal, account_id):
    """The account if the caller may see it (dispatch and admins see all); 404 otherwise, existing or not."""
    account_id = account_id or own_account(principal)
    if not account_id:
        raise field_error("account", "name the account to show")
    try:
        service.parse(account_id)
    except ValueError:
        raise NotFound("account_not_found", "account not found") from None
    if principal.role in SEES_ALL or account_id == own_account(principal) or _shippers(principal, account_id):
        return account_id
    raise NotFound("account_not_found", "account not found")


def _shippers(principal, account_id):
    """A shipper's staff see their company's prepaid account at every mine (one per sales company)."""
    try:
        org_id, _ = service.prepaid_owner(account_id)
    except ValueError:
        return False
    return principal.role == "shipper" and bool(principal.org_id) and org_id == principal.org_id


def balance_view(*, principal, account_id):
    """The account's balance, what it can pay and its credit limit, in fen."""
    account_id = visible_account(principal, account_id)
    kind, owner = service.parse(account_id)
    limit = service.credit_limit(account_id) if kind == "shipper_prepaid" else 0
    return {
        "account": account_id,
        "kind": kind,
        "owner_id": owner,
        "balance": service.balance(account_id),
        "available": service.available(account_id),
        "credit_limit": limit,
    }


def _instant(text, field, *, end):
    """Epoch ms from ms digits or a Shanghai date; an end date means the end of that day."""
    if text.isdigit():
        return int(text)
    if DATE.match(text):
        try:
            start = shanghai_midnight_ms(text)
        except ValueError:
            raise field_error(field, "not a calendar date") from None
        return start + service.DAY_MS if end else start
    raise field_error(field, "epoch milliseconds or a YYYY-MM-DD date")


def period(args):
    """(start_ms, end_ms) of the statement's arguments."""
    start, end = _instant(args["from_"], "from", end=False), _instant(args["to"], "to", end=True)
    if end <= start:
        raise field_error("to", "the period must end after it starts")
    return start, end


def statement(*, principal, args):
    """One page of the statement as JSON, or the whole period as a CSV / XLSX download (a Flask response)."""
    account_id = visible_account(principal, args.get("account"))
    start, end = period(args)
    if args["format"] != "json":
        pages = _all_pages(account_id, start, end)
        return exports.render(args["format"], pages, account_id=account_id)
    cursor = pagination.decode_cursor(args.get("cursor"))
    page = service.statement(account_id, start_ms=start, end_ms=end, limit=args["limit"], cursor=cursor)
    page["next_cursor"] = pagination.encode_cursor(page["next_cursor"])
    return page


def _all_pages(account_id, start, end):
    pages, cursor, count = [], None, 0
    while True:
        page = service.statement(account_id, start_ms=start, end_ms=end, limit=EXPORT_PAGE, cursor=cursor)
        pages.append(page)
        count += len(page["entries"])
        if count > EXPORT_MAX:
            raise field_error("to", f"more than {EXPORT_MAX} entries: download a shorter period")
        cursor = page["next_cursor"]
        if not cursor:
            return pages

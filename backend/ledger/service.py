"""The double-entry ledger: accounts, balanced postings (in the caller's transaction or our own), balances, statements.

Sign convention: a leg's amount is money INTO that account (credit to its holder) when positive and money
OUT of it when negative; every entry's amounts sum to 0, so all balances together always sum to 0. A party's
account (buyer wallet, shipper prepaid, carrier, driver, sales, escrow, fees, tax) shows what is held for it;
the accounts facing the outside world (provider, clearing) mirror that: a buyer's 100 yuan top-up is
provider −10000, buyer_wallet +10000, so provider's balance is minus what the platform holds at the provider.
"""

import zlib

from backend.common.clock import now_ms as clock_now_ms
from backend.common.clock import shanghai_date, shanghai_midnight_ms
from backend.common.errors import field_error
from backend.ledger import store

KINDS = (
    "buyer_wallet",
    "shipper_prepaid",
    "carrier",
    "driver",
    "sales",
    "platform_fee",
    "escrow",
    "clearing",
    "provider",
    "tax_withheld",
)
GUARDED = ("buyer_wallet", "escrow", "carrier", "driver", "shipper_prepaid")  # debits conditional on available
SHARDED = {"clearing": 16}  # balance items per account: every posting touches clearing, one item would be hot
PLATFORM = "platform"
MAX_LEGS = 32  # 1 entry + 2 items per leg, leaving room in the 100-item TransactWriteItems for the caller's steps
DAY_MS = 86_400_000


def account(kind, owner_id=PLATFORM):
    """The account id of `kind` for its owner (user, org, mine, order/waybill, provider; "platform" by default)."""
    if kind not in KINDS:
        raise ValueError(f"unknown account kind {kind!r}")
    owner = str(owner_id or "")
    if not owner or "#" in owner:
        raise ValueError(f"bad owner id {owner_id!r} for a {kind} account")
    return f"{kind}:{owner}"


def parse(account_id):
    """(kind, owner_id) of an account id; ValueError for anything `account` would not make."""
    kind, _, owner = str(account_id).partition(":")
    if kind not in KINDS or not owner or "#" in owner:
        raise ValueError(f"not an account id: {account_id!r}")
    return kind, owner


def balance_items(account_id):
    """The balance items of an account: itself, or its shards."""
    kind, _ = parse(account_id)
    shards = SHARDED.get(kind)
    return [f"{account_id}#{i:02d}" for i in range(shards)] if shards else [account_id]


def _item_for(account_id, entry_id):
    """The balance item an entry's leg lands on: a shard chosen by the entry id (stable across retries)."""
    kind, _ = parse(account_id)
    shards = SHARDED.get(kind)
    return f"{account_id}#{zlib.crc32(entry_id.encode()) % shards:02d}" if shards else account_id


def balanced(legs):
    """The legs merged per account, integers checked, Σ = 0 enforced; ValueError otherwise."""
    merged = {}
    for leg in legs:
        account_id, amount = leg
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"amount for {account_id} must be integer fen, not {amount!r}")
        parse(account_id)
        merged[account_id] = merged.get(account_id, 0) + amount
    if sum(merged.values()) != 0:
        raise ValueError(f"legs do not balance: Σ = {sum(merged.values())} fen")
    merged = {account_id: amount for account_id, amount in merged.items() if amount != 0}
    if not merged:
        raise ValueError("an entry needs at least one non-zero leg")
    if len(merged) > MAX_LEGS:
        raise ValueError(f"an entry has at most {MAX_LEGS} accounts")
    return sorted(merged.items())


def posting_steps(*, entry_id, legs, memo, now_ms, waybill_id=None, order_id=None):
    """TxOps for the caller's own TransactWrite: the entry (once: Conflict already_posted), balances, journal lines."""
    if not entry_id or not isinstance(entry_id, str) or "#" in entry_id:
        raise ValueError(f"bad entry id {entry_id!r}")
    legs = balanced(legs)
    links = {"waybill_id": waybill_id, "order_id": order_id}
    ops = [store.entry_op(entry_id=entry_id, legs=legs, memo=memo, now_ms=now_ms, **links)]
    for account_id, amount in legs:
        kind, owner = parse(account_id)
        item_id = _item_for(account_id, entry_id)
        ops.append(
            store.balance_op(
                item_id=item_id,
                kind=kind,
                owner_id=owner,
                amount=amount,
                now_ms=now_ms,
                guarded=kind in GUARDED,
                account_id=account_id,
            )
        )
        ops.append(
            store.journal_op(item_id=item_id, entry_id=entry_id, amount=amount, memo=memo, now_ms=now_ms, **links)
        )
    return ops


def post(*, entry_id, legs, memo, now_ms, waybill_id=None, order_id=None):
    """Post an entry in its own transaction: True when posted now, False when it was already posted."""
    ops = posting_steps(
        entry_id=entry_id, legs=legs, memo=memo, now_ms=now_ms, waybill_id=waybill_id, order_id=order_id
    )
    try:
        store.run(ops)
    except store.AlreadyPosted:
        return False
    return True


def is_already_posted(error):
    """True for the error a posting step raises when its entry id was posted before (callers treat it as done)."""
    return getattr(error, "code", None) == "already_posted"


def balance(account_id):
    """The account's balance in fen (its shards summed; one read either way)."""
    items = balance_items(account_id)
    if len(items) == 1:
        item = store.get_item(items[0])
        return int(item.balance) if item else 0
    return sum(int(item.balance) for item in store.get_items(items).values())


def available(account_id):
    """What the account can pay now: balance plus its credit limit (shippers), in fen."""
    items = balance_items(account_id)
    if len(items) > 1:
        return balance(account_id)
    item = store.get_item(items[0])
    return int(item.available) if item else 0


def prepaid_account(shipper_org_id, mine_id):
    """A shipper's prepaid account with one mine's sales company: balances and credit are per (shipper, mine)."""
    if not mine_id or "@" in str(mine_id) or "@" in str(shipper_org_id or ""):
        raise ValueError(f"bad prepaid owner {shipper_org_id!r} at {mine_id!r}")
    return account("shipper_prepaid", f"{shipper_org_id}@{mine_id}")


def prepaid_owner(account_id):
    """(shipper org id, mine id) of a prepaid account; ValueError for any other account."""
    kind, owner = parse(account_id)
    org_id, _, mine_id = owner.partition("@")
    if kind != "shipper_prepaid" or not org_id or not mine_id:
        raise ValueError(f"not a prepaid account: {account_id!r}")
    return org_id, mine_id


def set_credit_limit(shipper_org_id, limit_fen, *, mine_id, now_ms=None):
    """Let a shipper's prepaid account at a mine go down to −limit_fen (set by that mine's sales company)."""
    if isinstance(limit_fen, bool) or not isinstance(limit_fen, int) or limit_fen < 0:
        raise field_error("limit_fen", "a credit limit is a non-negative integer of fen")
    account_id = prepaid_account(shipper_org_id, mine_id)
    store.set_credit_limit(
        account_id,
        kind="shipper_prepaid",
        owner_id=parse(account_id)[1],
        limit_fen=limit_fen,
        now_ms=now_ms or clock_now_ms(),
    )
    return account_id


def credit_limit(account_id):
    """A prepaid account's credit limit in fen (0 when none was set)."""
    item = store.get_item(account_id)
    return int(item.credit_limit or 0) if item else 0


def recent_lines(account_id, *, limit=10):
    """An unsharded account's newest journal lines, newest first: [{entry_id, at, memo, amount, waybill_id}]."""
    if parse(account_id)[0] in SHARDED:
        raise ValueError("a sharded account has no single journal")
    return [
        {
            "entry_id": line.entry_id,
            "at": int(line.at),
            "memo": line.memo,
            "amount": int(line.amount),
            "waybill_id": line.waybill_id,
            "order_id": line.order_id,
        }
        for line in store.recent_lines(account_id, limit=limit)
    ]


def balances(account_ids):
    """{account_id: (balance, credit_limit, available) in fen} for unsharded accounts (100 keys a BatchGetItem)."""
    items = store.get_items(account_ids)
    found = {
        account_id: (int(item.balance), int(item.credit_limit or 0), int(item.available))
        for account_id, item in items.items()
    }
    return {account_id: found.get(account_id, (0, 0, 0)) for account_id in account_ids}


def entry(entry_id):
    """The posted entry (legs, memo, links), or None."""
    return store.get_entry(entry_id)


def entries(entry_ids):
    """The posted entries among these ids, read consistently: what to rely on when deciding what to post next."""
    return store.get_entries(entry_ids)


def entries_for_waybill(waybill_id):
    """Every entry that names the waybill, oldest first (an index: may miss an entry posted a moment ago)."""
    return store.entries_for_waybill(waybill_id)


def posted(entry_ids):
    """Which of these entry ids are posted: one consistent BatchGetItem (use it to decide what to post next)."""
    return store.posted_ids(entry_ids)


def day_end_ms(at):
    """Epoch ms of the Shanghai midnight ending the day that contains `at`."""
    return shanghai_midnight_ms(shanghai_date(at)) + DAY_MS


def balance_at(item_id, at):
    """A balance item's balance just before `at`: the nearest day closing plus the lines since it (one day at most)."""
    day_end, closing = store.closing_before(item_id, at)
    if day_end >= at:
        return closing
    return closing + store.lines_sum(item_id, from_key=store.time_key(day_end), to_key=store.time_key(at))


VAT_PERMILLE = {"carrier": 90, "driver": 90}  # transport services: 9 % VAT, included in what they are paid


def invoice_line(kind, amount):
    """The VAT split of money a carrier or driver earned: {amount_excl_tax, tax, total, rate}; None otherwise."""
    rate = VAT_PERMILLE.get(kind)
    if rate is None or amount <= 0:
        return None
    excl = (amount * 2000 + 1000 + rate) // (2 * (1000 + rate))  # amount / 1.09, rounded half up to the fen
    return {"amount_excl_tax": excl, "tax": amount - excl, "total": amount, "rate_permille": rate}


def statement(account_id, *, start_ms, end_ms, limit=100, cursor=None):
    """Opening balance, the period's entries with running balances, closing balance and totals (on the last page)."""
    # Reads: the opening (a day closing plus the lines since that midnight; later pages skip it, their cursor
    # carries the running balance) and the period's lines, so the cost follows the period, not the history.
    kind, owner = parse(account_id)
    if kind in SHARDED:
        raise field_error("account", "the sharded clearing account has no statement; the trial balance checks it")
    if end_ms <= start_ms:
        raise field_error("to", "the period must end after it starts")
    state = cursor or {}
    if state:
        opening, running, after, totals = state["opening"], state["balance"], state["after"], state["totals"]
    else:
        opening = balance_at(account_id, start_ms)
        running, after, totals = opening, None, {"in": 0, "out": 0, "tax": 0, "excl_tax": 0}
    lines, more = store.lines_page(
        account_id, from_key=store.time_key(start_ms), to_key=store.time_key(end_ms), limit=limit, after=after
    )
    entries = []
    for line in lines:
        amount = int(line.amount)
        running += amount
        totals["in" if amount > 0 else "out"] += abs(amount)
        invoice = invoice_line(kind, amount)
        if invoice:
            totals["tax"] += invoice["tax"]
            totals["excl_tax"] += invoice["amount_excl_tax"]
        entries.append(
            {
                "entry_id": line.entry_id,
                "at": int(line.at),
                "memo": line.memo,
                "amount": amount,
                "balance_after": running,
                "waybill_id": line.waybill_id,
                "order_id": line.order_id,
                "invoice": invoice,
            }
        )
    next_state = None
    if more:
        next_state = {"opening": opening, "balance": running, "after": lines[-1].line_key, "totals": totals}
    return {
        "account": account_id,
        "kind": kind,
        "owner_id": owner,
        "start_ms": start_ms,
        "end_ms": end_ms,
        "opening_balance": opening,
        "entries": entries,
        "closing_balance": None if more else running,
        "totals": None if more else totals,
        "next_cursor": next_state,
    }

"""The hash chain of a mine's queue day, as pure functions: the canonical entry, its hash, and verification.

Each entry's hash is SHA-256 over the previous hash and the entry's canonical JSON (sorted keys, no
spaces, UTF-8), so removing, inserting, changing or reordering an entry breaks every hash after it.
The server, the verify command and a driver's check all use these same functions.
"""

import hashlib
import json

GENESIS = "0" * 64  # the previous hash of a day's first entry
FIELDS = (
    "chain_id",
    "seq",
    "at",
    "action",
    "booking_id",
    "waybill_id",
    "slot_id",
    "driver_id",
    "actor_id",
    "actor_role",
    "reason",
    "detail",
)


def chain_id(mine_id, day):
    """The chain of one mine's queue day: `<mine_id>#<YYYY-MM-DD>` (Asia/Shanghai)."""
    return f"{mine_id}#{day}"


def canonical(entry):
    """The bytes an entry's hash covers: the chained fields only, as canonical JSON."""
    body = {name: _plain(entry.get(name)) for name in FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _plain(value):
    """Numbers read back from DynamoDB come as Decimal or float: hash integers as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if type(value).__name__ == "Decimal":
        return int(value) if value == int(value) else float(value)
    return value


def entry_hash(prev_hash, entry):
    """SHA-256 (hex) of the previous hash followed by the entry's canonical bytes."""
    return hashlib.sha256(prev_hash.encode() + canonical(entry)).hexdigest()


def verify(entries, *, head=None):
    """Problems of a day's chain read in seq order ([] when intact); `head` is the published (seq, hash).

    Detects a removed entry (a gap in seq or a broken link), an inserted or changed one (its hash or the
    next link no longer matches), a reordered pair (seq out of order, links broken) and a truncated tail
    (the last entry is not the published head).
    """
    problems, prev, expected_seq = [], GENESIS, 1
    for entry in entries:
        seq = entry.get("seq")
        if seq != expected_seq:
            problems.append({"seq": seq, "problem": "sequence", "expected": expected_seq})
        if entry.get("prev_hash") != prev:
            problems.append({"seq": seq, "problem": "link", "expected": prev})
        computed = entry_hash(entry.get("prev_hash") or "", entry)
        if entry.get("hash") != computed:
            problems.append({"seq": seq, "problem": "hash", "expected": computed})
        prev, expected_seq = entry.get("hash") or "", (seq or 0) + 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != expected_seq - 1 or (head_seq and head_hash != prev):
            problems.append({"seq": head_seq, "problem": "head", "expected": prev})
    return problems


def queue_key(entry):
    """Where a truck stood in line when an entry names it: (window start, place in its window's line)."""
    detail = entry.get("detail") or {}
    key = detail.get("queue_key")
    return tuple(key) if key else None


def placed_ahead(entries, *, booking_id):
    """Calls and admissions of trucks that stood behind the booking while it waited, each with its reason.

    The driver's fairness check: every such entry must carry a recorded reason (a skip or an override).
    """
    mine, waiting, found = None, False, []
    for entry in entries:
        if entry.get("booking_id") == booking_id:
            if entry["action"] in ("check_in", "requeue"):
                mine, waiting = queue_key(entry), True
            elif entry["action"] in ("call", "skip", "admit", "override", "check_out", "expire"):
                waiting = False
            continue
        if waiting and mine and entry["action"] in ("call", "skip", "override"):
            theirs = queue_key(entry)
            if theirs is None or theirs > mine:
                found.append(entry)
    return found

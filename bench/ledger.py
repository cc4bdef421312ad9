"""The ledger's cost: postings/s against raw TransactWriteItems of the same items, and a 10k-entry statement.

    .venv/bin/python bench/ledger.py [--postings 200] [--rounds 3] [--threads 8] [--history 30000] [--period 10000]

One in-memory DynamoDB Local. (1) Throughput: `--rounds` interleaved rounds of `--postings` three-leg entries
(buyer wallet → carrier + platform fee, 7 items: the entry, 3 guarded/plain balance updates, 3 journal lines)
posted through `ledger.service.post` from `--threads` threads, and the same 7 items sent as a bare boto3
TransactWriteItems (no conditions, no PynamoDB) on the same client: ratio ledger/raw (goal ≥ 0.5).
(2) Statements: two carriers with `--period` entries on one Shanghai day; one also has `--history` entries
over the 300 days before; the daily trial balance closes the days; then the whole day's statement of each,
page by page: calls and seconds, and the ratio long/short history (goal: ~1, the cost follows the period).
"""

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import _world  # noqa: E402

DAY = 86_400_000
LEGS = 3


def _fund(ledger, wallets, now):
    provider = ledger.account("provider", "bench")
    for wallet in wallets:
        ledger.post(entry_id=f"fund-{wallet}", legs=[(provider, -(10**12)), (wallet, 10**12)], memo="fund", now_ms=now)


def _ledger_round(ledger, wallets, *, postings, threads, tag, now):
    carrier, fee = ledger.account("carrier", "bench"), ledger.account("platform_fee")

    def one(n):
        wallet = wallets[n % len(wallets)]
        legs = [(wallet, -1_000), (carrier, 900), (fee, 100)]
        ledger.post(entry_id=f"{tag}-{n}", legs=legs, memo="freight", now_ms=now + n, waybill_id=f"wb-{n}")

    return _timed(one, postings, threads)


def _raw_round(client, tables, wallets, *, postings, threads, tag, now):
    def one(n):
        at = now + n
        entry = f"{tag}-{n}"
        accounts = [(wallets[n % len(wallets)], -1_000), ("carrier:bench-raw", 900), ("platform_fee:raw", 100)]
        items = [{"Put": {"TableName": tables["entries"], "Item": {"entry_id": {"S": entry}, "at": {"N": str(at)}}}}]
        for account_id, amount in accounts:
            items.append(
                {
                    "Update": {
                        "TableName": tables["accounts"],
                        "Key": {"account_id": {"S": f"raw-{account_id}"}},
                        "UpdateExpression": "ADD balance :a",
                        "ExpressionAttributeValues": {":a": {"N": str(amount)}},
                    }
                }
            )
            line = {"account_id": {"S": f"raw-{account_id}"}, "line_key": {"S": f"{at:013d}#{entry}"}}
            line.update(amount={"N": str(amount)}, entry_id={"S": entry}, at={"N": str(at)})
            items.append({"Put": {"TableName": tables["journal"], "Item": line}})
        while True:
            try:
                client.transact_write_items(TransactItems=items)
                return
            except client.exceptions.TransactionCanceledException:
                continue  # a race on the shared carrier item: nothing applied, send again (as the ledger does)

    return _timed(one, postings, threads)


def _timed(one, postings, threads):
    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(postings)))
    return postings / (time.perf_counter() - began)


def throughput(app, args):
    from backend import db
    from backend.ledger import service as ledger
    from backend.ledger.models import JournalLine, LedgerAccount, LedgerEntry

    now = 1_790_000_000_000
    tables = {
        "entries": LedgerEntry.Meta.table_name,
        "accounts": LedgerAccount.Meta.table_name,
        "journal": JournalLine.Meta.table_name,
    }
    with app.app_context():
        wallets = [ledger.account("buyer_wallet", f"bench-{n}") for n in range(args.threads * 4)]
        _fund(ledger, wallets, now)
        client = db.connection().client
        rates = {"ledger": [], "raw": []}
        for r in range(args.rounds):
            rates["raw"].append(
                _raw_round(
                    client, tables, wallets, postings=args.postings, threads=args.threads, tag=f"raw{r}", now=now
                )
            )
            rates["ledger"].append(
                _ledger_round(ledger, wallets, postings=args.postings, threads=args.threads, tag=f"led{r}", now=now)
            )
    led, raw = statistics.median(rates["ledger"]), statistics.median(rates["raw"])
    print(f"postings ({LEGS} legs, {2 * LEGS + 1} items each, {args.threads} threads, median of {args.rounds} rounds):")
    print(f"  ledger.post            {led:8.1f} /s   rounds {[round(x) for x in rates['ledger']]}")
    print(f"  raw TransactWriteItems {raw:8.1f} /s   rounds {[round(x) for x in rates['raw']]}")
    print(f"  ratio ledger/raw       {led / raw:8.2f}   (goal >= 0.5)")


def _seed(account_id, counter, lines):
    """Journal lines written straight to the table (amount, at), the balances they add up to, the counter-entries."""
    from backend.ledger.models import JournalLine, LedgerAccount

    total = sum(amount for _, amount in lines)
    with JournalLine.batch_write() as batch:
        for n, (at, amount) in enumerate(lines):
            key = f"{at:013d}#seed-{account_id}-{n}"
            batch.save(JournalLine(account_id, key, entry_id=f"seed-{n}", amount=amount, memo="seed", at=at))
        batch.save(
            JournalLine(
                counter,
                f"{lines[0][0]:013d}#counter-{account_id}",
                entry_id="c",
                amount=-total,
                memo="c",
                at=lines[0][0],
            )
        )
    for item_id, amount in ((account_id, total), (counter, -total)):
        LedgerAccount(item_id).update(actions=[LedgerAccount.balance.add(amount), LedgerAccount.available.add(amount)])


def statements(app, args):
    from backend.common.clock import shanghai_midnight_ms
    from backend.ledger import service as ledger
    from backend.ledger import trial
    from tests.callcount import count_calls

    start = shanghai_midnight_ms("2027-01-15")
    step = DAY // (args.period + 1)
    short, long_, counter = (ledger.account("carrier", f"bench-{n}") for n in ("short", "long", "counter"))
    with app.app_context():
        began = time.perf_counter()
        period = [(start + 1 + n * step, 100) for n in range(args.period)]
        history = [(start - 300 * DAY + n * (300 * DAY // max(args.history, 1)), 7) for n in range(args.history)]
        _seed(short, counter, period)
        if history:
            _seed(long_, counter, history)
        _seed(long_, counter, period)
        # The job closes every day once (summing the history is its cost, once); statements then start from it.
        report = trial.run(
            now_ms=start + 1, account_ids=[short, long_, counter, ledger.account("carrier", "bench-counter2")]
        )
        print(f"seeded {args.period} + {args.history} lines and closed the day in {time.perf_counter() - began:.1f} s")
        print(f"  trial balance: sum {report['sum']}, mismatches {report['mismatches']}")
        results = {"short history": [], "long history": []}
        for _ in range(args.rounds):  # interleaved, so a busy moment of the machine hits both
            for name, account_id in (("short history", short), ("long history", long_)):
                results[name].append(_whole_statement(ledger, count_calls, account_id, start))
    print(f"statement of one day with {args.period} entries, pages of 500 (median of {args.rounds}):")
    summary = {}
    for name, runs in results.items():
        calls, seconds = runs[0][0], statistics.median(run[1] for run in runs)
        _, _, entries, opening, closing = runs[0]
        summary[name] = (calls, seconds)
        print(
            f"  {name:14s} {calls:4d} calls {seconds:6.2f} s  entries {entries}  opening {opening}  closing {closing}"
        )
    (c_short, s_short), (c_long, s_long) = summary["short history"], summary["long history"]
    print(f"  ratio long/short history: calls {c_long / c_short:.2f}, time {s_long / s_short:.2f}   (goal ~1)")


def _whole_statement(ledger, count_calls, account_id, start):
    """(calls, seconds, entries, opening, closing) of one day's statement read page by page."""
    with count_calls() as calls:
        began = time.perf_counter()
        cursor, entries = None, 0
        while True:
            page = ledger.statement(account_id, start_ms=start, end_ms=start + DAY, limit=500, cursor=cursor)
            entries += len(page["entries"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        seconds = time.perf_counter() - began
    return len(calls), seconds, entries, page["opening_balance"], page["closing_balance"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--history", type=int, default=30_000)
    parser.add_argument("--period", type=int, default=10_000)
    args = parser.parse_args()
    store, app = _world.start()
    try:
        throughput(app, args)
        statements(app, args)
    finally:
        store.stop()


if __name__ == "__main__":
    main()

"""What the contention benches share: warm, paired rounds of HTTP attempts against raw conditional updates.

A fair ratio needs both sides measured the same way on the same machine:
- both warm: the served app has answered requests on every worker thread, and DynamoDB Local's JVM has
  compiled the paths of both sides (one untimed round of each) before anything is timed;
- the same concurrency: `threads` client threads on each side; the HTTP side one urllib3 pool of as many
  keep-alive connections (reused across rounds, as a phone keeps its connection), the raw side one boto3
  client with a pool of as many connections;
- paired rounds in alternating order (HTTP then raw, raw then HTTP, ...), so a change in the machine's
  load during the run (other work on a shared machine) falls on both sides alike.
Each side's CPU per attempt is read for every process (the served app, DynamoDB Local, this client
process) from /proc, so the report says where the time goes.
"""

import json
import os
import random
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import urllib3


def add_server_options(parser):
    """The served app's shape: threads per process, and processes (one per core by default).

    Lambda serves each request in a container of its own, so no two requests share an interpreter lock; one
    process serving every thread would run the app's Python on one core however many the machine has and measure
    the lock, not the app. A process per core is the nearest this machine comes to a fleet of containers."""
    parser.add_argument("--server-threads", type=int, default=16, help="worker threads per server process")
    parser.add_argument("--server-processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--resends",
        action="store_true",
        help="time requests marked as resends (Idempotency-Attempt: 2), as a client that does not say sends: "
        "every refusal then looks its key up (one GetItem)",
    )


def cpu_seconds(pid):
    """User + system CPU seconds a process, or a list of processes, has used (Linux /proc; None elsewhere)."""
    if isinstance(pid, list | tuple):
        used = [cpu_seconds(one) for one in pid]
        return None if None in used else sum(used)
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Reply:
    """What the benches read of a reply (requests' names, so a call site reads the same either way)."""

    def __init__(self, response):
        self.status_code, self._data = response.status, response.data

    def json(self):
        return json.loads(self._data)


class Session:
    """A thread's keep-alive connection through urllib3's pool. Every process's CPU counts in the ratio: requests'
    sessions, hooks and cookie jar would add client CPU that is no part of what the server costs."""

    def __init__(self, pool):
        self._pool = pool

    def post(self, url, *, json=None, headers=None):
        body = None if json is None else _json_bytes(json)
        headers = dict(headers or {}, **({"Content-Type": "application/json"} if body is not None else {}))
        return Reply(self._pool.request("POST", url, body=body, headers=headers, retries=False))

    def get(self, url, *, headers=None):
        return Reply(self._pool.request("GET", url, headers=headers, retries=False))


def first_send(token, attempt="1"):
    """A write's headers as a phone sends them: a fresh Idempotency-Key, and how many times it has been sent (the
    stampede's requests are first sends: the server need not look their keys up to refuse them)."""
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex, "Idempotency-Attempt": attempt}


def _json_bytes(value):
    return json.dumps(value, separators=(",", ":")).encode()


class Clients:
    """`threads` client threads sharing a pool of as many keep-alive connections, kept for the whole run."""

    def __init__(self, threads, resends=False):
        self.pool = ThreadPoolExecutor(threads)
        self._http = urllib3.PoolManager(maxsize=threads, block=True)
        self.attempt = "2" if resends else "1"

    def write_headers(self, token):
        """A timed write's headers: first sends (what a phone's stampede is), or resends with `--resends`."""
        return first_send(token, self.attempt)

    def session(self):
        return Session(self._http)

    def map(self, fn, items):
        return list(self.pool.map(fn, items))

    def close(self):
        self.pool.shutdown()


class Side:
    """One side's timed rounds: attempts, seconds and CPU seconds per process, summed."""

    def __init__(self, name):
        self.name, self.attempts, self.seconds, self.rounds = name, 0, 0.0, []
        self.cpu = {}

    def run(self, round_fn, pids, prepare=None):
        if prepare:
            prepare()  # set-up of the round's records, not timed
        before = {label: cpu_seconds(pid) for label, pid in pids.items()}
        began = time.perf_counter()
        attempts = round_fn()
        seconds = time.perf_counter() - began
        for label, pid in pids.items():
            after = cpu_seconds(pid)
            if after is not None and before[label] is not None:
                self.cpu[label] = self.cpu.get(label, 0.0) + after - before[label]
        self.attempts += attempts
        self.seconds += seconds
        self.rounds.append(attempts / seconds)

    @property
    def rate(self):
        return self.attempts / self.seconds

    def cpu_line(self):
        per = ", ".join(f"{label} {1000 * used / self.attempts:.2f}" for label, used in self.cpu.items())
        return f"CPU ms per attempt: {per}" if per else "CPU per process: not available here"


def paired_rounds(rounds, http_round, raw_round, pids, *, prepare_http=None):
    """Run `rounds` HTTP rounds and as many raw rounds, alternating which goes first; returns (http, raw) Sides.

    `prepare_http()` makes an HTTP round's records before its timer starts.
    """
    http, raw = Side("HTTP"), Side("raw")
    for number in range(rounds):
        pair = [(http, http_round, prepare_http), (raw, raw_round, None)]
        for side, round_fn, prepare in pair if number % 2 == 0 else reversed(pair):
            side.run(round_fn, pids, prepare)
    return http, raw


def report(label, http, raw, goal=0.5):
    """Print both sides' rates, the ratio, per-round ratios and CPU per attempt; returns the ratio."""
    ratio = http.rate / raw.rate
    per_round = [h / r for h, r in zip(http.rounds, raw.rounds, strict=True)]
    print(f"HTTP {label}: {http.rate:8.1f} attempts/s ({http.attempts} in {http.seconds:.2f} s)  {http.cpu_line()}")
    print(f"raw UpdateItem: {raw.rate:8.1f} updates/s  ({raw.attempts} in {raw.seconds:.2f} s)  {raw.cpu_line()}")
    print(
        f"ratio HTTP {label} / raw conditional update: {ratio:.3f} (goal >= {goal}); "
        f"per round {', '.join(f'{r:.2f}' for r in per_round)} (median {statistics.median(per_round):.3f})"
    )
    if http.cpu and raw.cpu:
        # What the ratio would be were the machine busy with this bench alone and CPU-bound: it does not move
        # with other work on a shared machine, which the rates above do.
        http_ms, raw_ms = (1000 * sum(side.cpu.values()) / side.attempts for side in (http, raw))
        print(
            f"CPU per attempt, all processes: HTTP {http_ms:.2f} ms, raw {raw_ms:.2f} ms: ratio {raw_ms / http_ms:.3f}"
        )
    return ratio


def run_threads(threads, work):
    """`work(i)` on `threads` threads at once (the raw side's hammering); waits for all."""
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(threads)))


_raw = {}  # a raw worker process's own client and thread count (set by _raw_worker_start)


def _raw_worker_start(endpoint, threads):
    import boto3
    from botocore.config import Config

    _raw["dynamo"] = boto3.client("dynamodb", endpoint_url=endpoint, config=Config(max_pool_connections=threads))
    _raw["threads"] = threads


def _raw_hammer(job):
    """In a raw worker: `per_thread` UpdateItem calls on each of its threads, each call one of `choices`."""
    choices, per_thread, seed = job
    dynamo = _raw["dynamo"]

    def hammer(number):
        rnd = random.Random(seed * 1000 + number)
        for _ in range(per_thread):
            try:
                dynamo.update_item(**rnd.choice(choices))
            except dynamo.exceptions.ConditionalCheckFailedException:
                pass

    run_threads(_raw["threads"], hammer)
    return per_thread * _raw["threads"]


class RawRounds:
    """The raw side: rounds of conditional UpdateItem calls from `threads` threads, spread over `processes` worker
    processes (as many as the served app has: the same parallelism on both sides), each with its pooled client.

    A subclass's `prepare_round(number)` puts the round's fresh items (through `self.dynamo`) and returns the
    keyword arguments of the UpdateItem calls to choose from (a refused condition counts as an attempt, as a 409
    does). `pids` are the workers' processes, whose CPU counts on the raw side.
    """

    def __init__(self, endpoint, threads, processes=1):
        import multiprocessing

        import boto3
        from botocore.config import Config

        self.dynamo = boto3.client("dynamodb", endpoint_url=endpoint, config=Config(max_pool_connections=8))
        self.processes, self.rounds = processes, 0
        self.threads = max(threads // processes, 1) * processes
        # Spawned, not forked: the bench process already runs threads (a fork would copy their held locks).
        self._pool = multiprocessing.get_context("spawn").Pool(
            processes, initializer=_raw_worker_start, initargs=(endpoint, self.threads // processes)
        )
        self.pids = [worker.pid for worker in self._pool._pool]

    def prepare_round(self, number):
        raise NotImplementedError

    def run(self, attempts):
        """About `attempts` calls (a whole number per thread); returns how many were made."""
        self.rounds += 1
        choices = self.prepare_round(self.rounds)
        per_thread = max(attempts // self.threads, 1)
        jobs = [(choices, per_thread, self.rounds * 100 + worker) for worker in range(self.processes)]
        return sum(self._pool.map(_raw_hammer, jobs, chunksize=1))

    def close(self):
        self._pool.terminate()
        self._pool.join()

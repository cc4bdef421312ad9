"""Shared set-up for the benchmarks: an in-memory DynamoDB Local, the app (in process or served), bulk loads."""

import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from backend.localstore.dynamodb_local import DynamoDBLocal, use_local_credentials  # noqa: E402

ENV = {
    "JWT_SECRET_KEY": "bench-jwt-secret-0123456789abcdef0123456789",
    "DEVICE_MASTER_KEY": "bench-device-0123456789abcdef",
    "SECRET_SEAL_KEY": "bench-secret-seal-0123456789abcdef",
    "GATE_PASS_KEY": "bench-gate-pass-0123456789abcdef0123",
    "TABLE_PREFIX": "bench-",
    "LOG_LEVEL": "WARNING",
    "RETAIL_PREPAY": "false",  # the benches measure the hall and the gate: buyers' loads go there unpaid
}


def start():
    """(store, app) with every table created; stop the store when done."""
    use_local_credentials()
    store = DynamoDBLocal().start()
    os.environ.update(ENV, DYNAMODB_HOST=store.endpoint, AWS_REGION=os.environ["AWS_DEFAULT_REGION"])
    from backend.app import create_app
    from backend.db import create_tables
    from backend.tables import ALL_MODELS

    app = create_app()
    with app.app_context():
        create_tables(ALL_MODELS)
    return store, app


def client(store):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "dynamodb",
        endpoint_url=store.endpoint,
        region_name=os.environ["AWS_DEFAULT_REGION"],
        config=Config(max_pool_connections=32),
    )


def batch_put(dynamo, table, items, threads=16):
    """Put raw DynamoDB items with BatchWriteItem (25 a call), resending UnprocessedItems."""

    def write(chunk):
        request = {table: [{"PutRequest": {"Item": item}} for item in chunk]}
        while request:
            request = dynamo.batch_write_item(RequestItems=request).get("UnprocessedItems") or None

    chunks = [items[i : i + 25] for i in range(0, len(items), 25)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, chunks))


def vehicle_items(count, now_ms):
    """64,000 trucks in the vehicles table's attribute shape."""
    return [
        {
            "vehicle_id": {"S": f"veh_b{i:06d}"},
            "carrier_id": {"S": f"org_b{i % 250:03d}"},
            "plate": {"S": f"陕K{i:05d}"},
            "plate_color": {"S": "yellow"},
            "axles": {"N": "6"},
            "tare_kg": {"N": "15000"},
            "rated_load_kg": {"N": "34000"},
            "terminal_id": {"S": f"TB{i:07d}"},
            "vehicle_type": {"S": "tractor_trailer"},
            "status": {"S": "active"},
            "created_at": {"N": str(now_ms)},
            "updated_at": {"N": str(now_ms)},
        }
        for i in range(count)
    ]


def serve_in_subprocess(env, *, threads=16, processes=1):
    """The app served by waitress (`backend.serve`) in its own process on a free loopback port: (process, url).

    With `processes` > 1 the port is served by that many worker processes, forked by `process` (see
    `server_pids` for their CPU): the way Lambda's containers serve, each request in an interpreter of its own."""
    import subprocess
    import time
    import urllib.request

    from backend.localstore.dynamodb_local import REPO_ROOT, free_port

    port = free_port()
    command = [sys.executable, "-m", "backend.serve", "--port", str(port), "--threads", str(threads)]
    process = subprocess.Popen(
        command + ["--processes", str(processes)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/api/openapi.json", timeout=1)
            if len(server_pids(process)) == processes + (processes > 1):
                return process, url
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def server_pids(process):
    """The served app's processes: the one started and the workers it forked (Linux /proc; just it elsewhere)."""
    try:
        with open(f"/proc/{process.pid}/task/{process.pid}/children") as children:
            return [process.pid, *map(int, children.read().split())]
    except OSError:
        return [process.pid]


def warm_up(url, token, *, threads=16, rounds=3):
    """Warm the served app the way a live server is warm: every worker thread has served requests and
    built its connections, so the race measures steady state rather than the first request."""
    import requests

    session_headers = {"Authorization": f"Bearer {token}"}

    def hit(_):
        with requests.Session() as session:
            for _ in range(rounds):
                session.get(f"{url}/api/hall?limit=1", headers=session_headers, timeout=30)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(hit, range(threads)))


def count_calls(app, send):
    """The DynamoDB operations one in-process request makes: `send(client)` posts it; returns (status, ops)."""
    from tests.callcount import count_calls as counting

    with app.app_context(), app.test_client() as client, counting() as calls:
        status = send(client)
    return status, list(calls)

"""backend.serve --processes: one port served by several worker processes, stopped with the one started."""

import os
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import serve_app

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads workers from Linux /proc")


def workers_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(predicate, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.fixture
def served(dynamodb):
    process, url = serve_app(processes=2)
    assert wait_until(lambda: len(workers_of(process.pid)) == 2)
    yield process, url, workers_of(process.pid)
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def test_every_request_is_answered_by_one_of_the_workers(served):
    _process, url, _workers = served

    def fetch(_):
        with urllib.request.urlopen(url + "/api/openapi.json", timeout=30) as reply:
            return reply.status

    with ThreadPoolExecutor(16) as pool:
        assert set(pool.map(fetch, range(64))) == {200}


def test_stopping_the_server_stops_its_workers(served):
    process, _url, workers = served
    process.terminate()
    assert process.wait(timeout=15) == 0
    assert wait_until(lambda: not any(alive(pid) for pid in workers))


def test_workers_do_not_outlive_a_killed_server(served):
    process, _url, workers = served
    process.kill()  # no chance to stop them: each notices its parent is gone
    process.wait(timeout=10)
    assert wait_until(lambda: not any(alive(pid) for pid in workers))


def test_a_worker_that_dies_takes_the_server_down_with_it(served):
    # A half-served port would answer some requests and hang others: better to stop and be seen stopped.
    process, _url, workers = served
    os.kill(workers[0], signal.SIGKILL)
    assert process.wait(timeout=15) != 0
    assert wait_until(lambda: not alive(workers[1]))

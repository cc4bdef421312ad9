"""kill -9 of a persistent DynamoDB Local in the middle of 300 bookings; run in its own process (it binds the
models to its own store) by tests/faults/test_store_crash.py, printing what it saw as one JSON line.

Each booking is sent through the app by one of 16 threads; a client-side ledger keeps every acknowledged
(201) reply. Once a third are acknowledged the store's Java process is killed with SIGKILL and started again
on the same -dbPath and port while the load goes on. Then every unanswered request is resent with its key.
"""

import json
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

BOOKINGS, WINDOWS, THREADS = 300, 6, 16


def _world(app):
    from backend.common.clock import now_ms
    from tests.appointments.builders import HOUR, make_mine, make_slot, make_waybill
    from tests.builders import headers_for, make_user, random_ref

    mine = make_mine()
    slots = [make_slot(mine.mine_id, start_ms=now_ms() + (2 + i) * HOUR, capacity=BOOKINGS) for i in range(WINDOWS)]
    jobs = []

    def one(i):
        driver = make_user("driver", org_id=random_ref("org"))
        waybill = make_waybill(mine.mine_id, driver_id=driver.user_id)
        with app.app_context():
            headers = headers_for(driver, idempotency_key=uuid.uuid4().hex)
        return {"waybill_id": waybill.waybill_id, "slot_id": slots[i % WINDOWS]}, headers

    with ThreadPoolExecutor(THREADS) as pool:
        jobs = list(pool.map(one, range(BOOKINGS)))
    return mine, slots, jobs


def _crash_and_restart(store, ledger, started):
    while len(ledger) < BOOKINGS // 3 and time.monotonic() - started < 40:
        time.sleep(0.01)
    acknowledged_at_kill = len(ledger)
    os.kill(store.process.pid, signal.SIGKILL)
    store.process.wait()
    store.start()
    return acknowledged_at_kill


def main():
    from backend.localstore.dynamodb_local import DynamoDBLocal, use_local_credentials
    from tests.conftest import TEST_ENV

    use_local_credentials()
    store = DynamoDBLocal(db_path=tempfile.mkdtemp(prefix="crash-drill-")).start()
    os.environ.update(TEST_ENV, DYNAMODB_HOST=store.endpoint, AWS_REGION=os.environ["AWS_DEFAULT_REGION"])
    try:
        print(json.dumps(_drill(store)))
    finally:
        store.stop()


def _drill(store):
    from backend.app import create_app
    from backend.appointments.booking import store as booking_store
    from backend.appointments.windows import service as windows
    from backend.db import create_tables
    from backend.tables import ALL_MODELS
    from backend.waybills import store as waybill_store

    app = create_app()
    with app.app_context():
        create_tables(ALL_MODELS)
        mine, slots, jobs = _world(app)
    ledger, answers, lock = {}, {}, threading.Lock()

    def send(job):
        body, headers = job
        with app.test_client() as client:
            reply = client.post("/api/appointments/bookings", json=body, headers=headers)
        with lock:
            answers[body["waybill_id"]] = reply.status_code
            if reply.status_code == 201:
                ledger[body["waybill_id"]] = reply.json["id"]
        return reply.status_code

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        crash = pool.submit(_crash_and_restart, store, ledger, started)
        statuses = list(pool.map(send, jobs))
        acknowledged_at_kill = crash.result()
    acknowledged = dict(ledger)
    resent = [job for job in jobs if answers[job[0]["waybill_id"]] != 201]
    resent_statuses = [send(job) for job in resent]  # the outbox's resend, same Idempotency-Key
    with app.app_context():
        bookings = {b.waybill_id: b for b in booking_store.mine_active(mine.mine_id)}
        states = {body["waybill_id"]: waybill_store.get(body["waybill_id"]).state for body, _ in jobs}
        seats = {slot: windows.get_slot(slot).booked for slot in slots}
        lost = [
            w for w, booking_id in acknowledged.items() if getattr(bookings.get(w), "booking_id", None) != booking_id
        ]
        # What a lost one left: its own booking read by key (not through the queue index) and its waybill.
        lost_detail = [
            {
                "waybill_id": w,
                "acknowledged_booking": acknowledged[w],
                "booking_by_key": getattr(booking_store.get_booking(acknowledged[w]), "status", None),
                "booking_in_index": getattr(bookings.get(w), "booking_id", None),
                "waybill_state": states[w],
            }
            for w in lost
        ]
    per_slot = {slot: sum(1 for b in bookings.values() if b.slot_id == slot) for slot in slots}
    return {
        "seconds": round(time.monotonic() - started, 1),
        "acknowledged_at_kill": acknowledged_at_kill,
        "statuses": sorted(set(statuses)),
        "acknowledged": len(acknowledged),
        "lost": lost,
        "lost_detail": lost_detail,
        "resent": len(resent),
        "resent_statuses": sorted(set(resent_statuses)),
        "bookings": len(bookings),
        "booked_waybills": sum(state == "booked" for state in states.values()),
        "half_applied": [w for w, state in states.items() if (state == "booked") != (w in bookings)],
        "seats": seats,
        "bookings_per_slot": per_slot,
    }


if __name__ == "__main__":
    sys.exit(main())

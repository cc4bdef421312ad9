"""Fan-out of one mine's call-in wave: 50 drivers called to the gate, each told on every channel (inbox message,
SMS through the real Aliyun SDK to the local sink, Web Push where subscribed), against the bare provider calls.

    .venv/bin/python bench/notify.py [--drivers 50] [--rounds 3]

The wave is what the gate's call-in request does after each committed call: notifications.notify(driver, called)
— one batch read (the person, their preferences), the inbox transaction, the SMS claim with its budgets, SendSms,
the delivery's update — run side by side (backend/notifications/fanout.py) and awaited before the reply.
Measured: time until the last SMS was handed to the provider (goal <= 2 s locally). Baseline, in the same run:
the same number of bare SendSms calls through the same adapter, one after the other (no rules, no DynamoDB).
Every driver must end with exactly one SMS in the sink and one inbox message, also after the wave is sent twice.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import _world  # noqa: E402

from backend.localstore.sms_sink import SmsSink  # noqa: E402


def drivers(app, count):
    from tests.builders import make_user, random_ref

    with app.app_context():
        return [make_user("driver", org_id=random_ref("org")) for _ in range(count)]


def wave(app, crew, deadline_ms):
    """One call-in wave: every driver notified inside one request, as queue.call_next does after each call, and
    the reply made (its after-hook awaits the deliveries); seconds."""
    from backend.notifications import service as notifications

    began = time.perf_counter()
    with app.test_request_context("/api/appointments/mines/bench/call", method="POST"):
        for driver in crew:
            notifications.notify(
                driver.user_id, {"type": "called", "booking_id": driver.booking_id, "deadline_ms": deadline_ms}
            )
        app.process_response(app.response_class())
    return time.perf_counter() - began


def bare_sends(app, crew):
    """The provider alone: as many SendSms calls through the same SDK adapter; seconds."""
    from backend.notifications import sms

    began = time.perf_counter()
    with app.app_context():
        provider = sms.provider()
        for driver in crew:
            provider.send(driver.phone, "SMS_CALLED_ZH", {"time": "12:00"})
    return time.perf_counter() - began


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--drivers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sink = SmsSink().start()
    os.environ.update(SMS_PROVIDER="sink", SMS_ENDPOINT=f"127.0.0.1:{sink.port}")
    store, app = _world.start()
    try:
        warm = drivers(app, 2)  # the SDK's first client and DynamoDB's first calls, outside the timing
        for d in warm:
            d.booking_id = uuid.uuid4().hex
        wave(app, warm, int(time.time() * 1000))
        bare_sends(app, warm)
        waves, bases = [], []
        for _ in range(args.rounds):
            crew = drivers(app, args.drivers)
            for d in crew:
                d.booking_id = uuid.uuid4().hex
            deadline = int(time.time() * 1000) + 15 * 60_000
            waves.append(wave(app, crew, deadline))
            wave(app, crew, deadline)  # the same wave again (a retried call-in): nothing new may go out
            bases.append(bare_sends(app, crew))
            with app.app_context():
                from backend.notifications import store as notify_store

                sms_ok = all(
                    sum(m["template_code"] == "SMS_CALLED_ZH" for m in sink.messages(d.phone)) == 2 for d in crew
                )  # one from the wave, one from the bare baseline
                inbox_ok = all(
                    len(notify_store.messages(d.user_id, limit=5, last_evaluated_key=None)[0]) == 1 for d in crew
                )
            print(f"round: wave {waves[-1]:.3f} s, bare {bases[-1]:.3f} s, one SMS+inbox each: {sms_ok and inbox_ok}")
        w, b = statistics.median(waves), statistics.median(bases)
        print(f"drivers={args.drivers} rounds={args.rounds}")
        print(f"call-in wave to last SMS handed over: {w:.3f} s median ({w / args.drivers * 1000:.1f} ms a driver)")
        print(f"baseline, bare SendSms calls:         {b:.3f} s median ({b / args.drivers * 1000:.1f} ms a call)")
        print(f"ratio wave / bare provider calls: {w / b:.2f}x; goal <= 2 s: {'met' if w <= 2 else 'NOT met'}")
    finally:
        store.stop()
        sink.stop()


if __name__ == "__main__":
    main()

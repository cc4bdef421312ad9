"""The README's first command: DynamoDB Local (persistent), tables, demo data, the app on :8000."""

import argparse
import os
import signal
import subprocess
import sys

from backend.localstore.dynamodb_local import REPO_ROOT, DynamoDBLocal, use_local_credentials
from backend.localstore.pay_sandbox import PaySandbox
from backend.localstore.province_sandbox import ProvinceSandbox
from backend.localstore.secrets import load_or_create
from backend.localstore.sms_sink import SmsSink

DATA_DIR = os.path.join(REPO_ROOT, ".data")


def prepare_store(endpoint):
    """Create missing tables and load the demo data (both idempotent)."""
    from backend.app import create_app
    from backend.common.clock import now_ms
    from backend.common.text_repair import repair_all
    from backend.db import create_tables
    from backend.seed.load import demo_logins, load_demo
    from backend.tables import ALL_MODELS
    from backend.waybills.migrate import migrate as migrate_waybills
    from backend.webhooks.reseal import reseal as reseal_webhook_secrets

    app = create_app()
    with app.app_context():
        create_tables(ALL_MODELS)
        migrate_waybills()  # a kept .data/ store written by an earlier version
        reseal_webhook_secrets()  # webhook secrets an earlier version kept in the clear
        repair_all()  # lone surrogates stored before the edge checked text (backend/common/text_repair.py)
        load_demo(now_ms())
    return demo_logins()


def banner(port, logins, sms_url):
    from backend.seed.demo_data import DEMO_PASSWORD

    print(f"\nCoal Haul is running: http://127.0.0.1:{port}/   (API docs: /api/docs)")
    print(f"SMS codes (register, password reset) arrive at the local sink: {sms_url}/")
    print(f"Demo logins (password {DEMO_PASSWORD}):")
    for role, phone, name in logins:
        print(f"  {role:<10} {phone}  {name}")
    print("Ctrl-C stops the app and the store; the data stays in .data/.\n", flush=True)


def main():
    parser = argparse.ArgumentParser(description="Run Coal Haul locally with demo data")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--store-port", type=int, default=8001)
    args = parser.parse_args()
    use_local_credentials()
    load_or_create(os.path.join(DATA_DIR, "secrets.env"))
    store = DynamoDBLocal(
        port=args.store_port,
        db_path=os.path.join(DATA_DIR, "dynamodb"),
        log_path=os.path.join(DATA_DIR, "dynamodb.log"),
    ).start()
    sms_sink = SmsSink().start()  # stands in for Aliyun SMS: the adapter sends it the real SendSms call
    pay_sandbox = PaySandbox().start()  # stands in for WeChat Pay/Alipay: hosted page, signed notifications
    province = ProvinceSandbox().start()  # stands in for the province's monitoring system (WLHY uploads)
    os.environ.update(
        SMS_PROVIDER="sink",
        SMS_ENDPOINT=f"127.0.0.1:{sms_sink.port}",
        PAY_PROVIDER="sandbox",
        PAY_SANDBOX_URL=pay_sandbox.url,
        PAY_SANDBOX_KEY=pay_sandbox.key,
        PAY_NOTIFY_BASE_URL=f"http://127.0.0.1:{args.port}",
        DYNAMODB_HOST=store.endpoint,
        TABLE_PREFIX="coalhaul-local-",
        AWS_REGION=os.environ["AWS_DEFAULT_REGION"],
        RECEIPTS_DIR=os.path.join(DATA_DIR, "uploads"),
        **province.env(),
    )
    server, schedule, streams = None, None, None
    try:
        banner(args.port, prepare_store(store.endpoint), sms_sink.url)
        print(f"A buyer's order is paid on the local payment sandbox: {pay_sandbox.url}/\n")
        print(f"Regulatory documents go to the local province sandbox: {province.url}/admin/uploads\n")
        from backend.localstore import scheduler

        schedule = scheduler.start()  # the jobs Lambda runs on a schedule: windows, quotas, no-shows
        from backend.localstore.stream_poller import start_for_app
        from backend.wsgi import app as stream_app

        streams = start_for_app(stream_app, store.endpoint, catch_up_days=7)  # Lambda's stream trigger: aggregates
        server = subprocess.Popen([sys.executable, "-m", "backend.serve", "--port", str(args.port)], cwd=REPO_ROOT)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if schedule:
            schedule.set()
        if streams:
            streams.stop()
        if server and server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        store.stop()
        sms_sink.stop()
        pay_sandbox.stop()
        province.stop()
        print("Stopped the app, DynamoDB Local, the SMS sink and the payment sandbox.")


if __name__ == "__main__":
    main()

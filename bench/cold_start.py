"""Cold start: a fresh python3.12 process importing the Lambda entry and answering its first request, against one
importing only flask + boto3, and the first request against a warm one.

    .venv/bin/python bench/cold_start.py [--runs 6] [--warm 5]

Every process runs like Lambda runs the package: `python3.12 -S`, sys.path = [unzipped package, runtime boto3],
cwd = the package. Variants, interleaved round by round so machine noise hits them alike:
  baseline     import flask, boto3
  entry        import handler with INSTANTIATE_LAMBDA_HANDLER_ON_IMPORT=1: Zappa loads its settings and
               imports backend.wsgi, which builds the whole app; the DynamoDB host is a closed port, so
               building the app must not wait on the network (the session cut-offs are read on a thread of
               their own, which fails quietly here)
  entry+first  the same import, then the first request (a signed-in demo driver opens the order hall,
               GET /api/hall through handler.lambda_handler with an API Gateway event) against DynamoDB Local
               holding the demo data, then `--warm` more of the same request in the same container.
               Its wall time counts the process from its start to the end of the first request (the driver
               stamps each reply with the machine-wide monotonic clock); first/warm compares in-process times.
               The hall is one of the prefixes loaded while the app starts (ROUTES_AT_START's default)
  entry+lazy   the same, but the request goes to a domain loaded on its first request (the driver's unread
               inbox count, GET /api/inbox/unread): what a request pays for a domain nobody has called yet
  entry-nopyc  import only, ignoring the precompiled .pyc shipped in the zip (what an uncompiled zip would cost)
The requests are driven by tests/lambda/lambda_driver.py, the harness the package tests use.
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
ZIP_PATH = os.path.join(REPO_ROOT, "build", "coalhaul-lambda.zip")
LAMBDA_VENV = os.path.join(REPO_ROOT, ".venv-lambda")
DRIVER = os.path.join(REPO_ROOT, "tests", "lambda", "lambda_driver.py")
RESULT_MARK = "@@RESULT@@ "
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
PATH_SETUP = "import sys; sys.path[:0] = [{pkg!r}, {boto!r}]; "
# Each import variant prints the machine-wide monotonic clock and its CPU seconds when done: exit clean-up is left
# out of every figure. CPU time is printed beside wall time because it is far less disturbed on a busy machine.
DONE_STAMP = "; import time; print(time.monotonic(), time.process_time())"
IMPORT_CODE = {
    "baseline": "import flask, boto3",
    # The function's configured entry (zappa_settings.json "lambda_handler"), which imports Zappa's handler.
    "entry": "import backend.analytics.entry, handler; assert handler.global_handler.wsgi_app is not None",
    "entry-nopyc": "import backend.analytics.entry, handler; assert handler.global_handler.wsgi_app is not None",
}
VARIANTS = ("baseline", "entry", "entry+first", "entry+lazy", "entry-nopyc")
FIRST_PATH = {"entry+first": "/api/hall", "entry+lazy": "/api/inbox/unread"}
DEMO_DRIVER = "u_drv_1"


def configured_entry():
    """The function's entry as the dev stage deploys it (zappa_settings.json "lambda_handler")."""
    with open(os.path.join(REPO_ROOT, "zappa_settings.json")) as settings:
        return json.load(settings)["dev"].get("lambda_handler", "handler.lambda_handler")


CLOSED_PORT = "http://127.0.0.1:9"


def prepare(workdir):
    """Unzip the package and link the runtime's boto3 beside it; returns (python, package_dir, boto_dir)."""
    if not os.path.exists(ZIP_PATH) or not os.path.isdir(LAMBDA_VENV):
        subprocess.run(["bash", os.path.join(REPO_ROOT, "scripts", "package_lambda.sh")], check=True)
    package_dir, boto_dir = os.path.join(workdir, "task"), os.path.join(workdir, "runtime")
    with zipfile.ZipFile(ZIP_PATH) as archive:
        archive.extractall(package_dir)
    os.makedirs(boto_dir)
    site_packages = glob.glob(os.path.join(LAMBDA_VENV, "lib", "python3.12", "site-packages"))[0]
    for name in RUNTIME_PROVIDED:
        os.symlink(os.path.join(site_packages, name), os.path.join(boto_dir, name))
    python = subprocess.run(
        [os.path.join(LAMBDA_VENV, "bin", "python"), "-c", "import sys; print(sys._base_executable)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return python, package_dir, boto_dir


def demo_world():
    """(store, bearer token of the demo driver): DynamoDB Local with every table and the demo data."""
    import _world
    from flask_jwt_extended import create_access_token

    from backend.auth import service as auth_service
    from backend.auth.models import User
    from backend.common.clock import now_ms
    from backend.seed.load import load_demo

    store, app = _world.start()
    with app.app_context():
        load_demo(now_ms())
        driver = User.get(DEMO_DRIVER)
        token = create_access_token(identity=driver.user_id, additional_claims=auth_service.token_claims(driver))
    return store, token


def api_event(token, path):
    """An API Gateway REST (v1) proxy event: the driver's phone asking for `path` (the order hall, ...)."""
    headers = {
        "Host": "abc123defg.execute-api.ap-east-1.amazonaws.com",
        "Accept": "application/json",
        "Authorization": f"Bearer {token}",
        "X-Forwarded-Proto": "https",
    }
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "body": None,
        "isBase64Encoded": False,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": "GET",
            "path": "/dev" + path,
            "stage": "dev",
            "requestId": str(uuid.uuid4()),
            "accountId": "123456789012",
            "identity": {"sourceIp": "10.1.2.3"},
        },
    }


def environment(variant, workdir, store_endpoint):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"],
        "AWS_REGION": os.environ["AWS_REGION"],
        "AWS_DEFAULT_REGION": os.environ["AWS_REGION"],
        "DYNAMODB_HOST": CLOSED_PORT,
        "TABLE_PREFIX": os.environ["TABLE_PREFIX"],
        "LOG_LEVEL": "WARNING",
        "JWT_SECRET_KEY": os.environ["JWT_SECRET_KEY"],
        "DEVICE_MASTER_KEY": os.environ["DEVICE_MASTER_KEY"],
        "SECRET_SEAL_KEY": os.environ["SECRET_SEAL_KEY"],
        "GATE_PASS_KEY": os.environ["GATE_PASS_KEY"],
        "AWS_LAMBDA_FUNCTION_NAME": "coalhaul-dev",
        "INSTANTIATE_LAMBDA_HANDLER_ON_IMPORT": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if variant in FIRST_PATH:
        env["DYNAMODB_HOST"] = store_endpoint
        env["LAMBDA_HANDLER"] = configured_entry()  # the function's real entry, as the stage deploys it
    if variant == "entry-nopyc":
        # Bytecode is looked up under this empty prefix instead of __pycache__, so every module compiles.
        env["PYTHONPYCACHEPREFIX"] = os.path.join(workdir, "no-pyc")
    return env


def run_once(python, package_dir, boto_dir, variant, env, events):
    """{"wall": s, "cpu": s} up to the import's end (entry+first, entry+lazy: the first reply); those also give the
    first and the median warm request time (s) measured in the process."""
    if variant in FIRST_PATH:
        command, stdin = [python, "-S", DRIVER, package_dir, boto_dir], json.dumps(events[variant])
    else:
        code = PATH_SETUP.format(pkg=package_dir, boto=boto_dir) + IMPORT_CODE[variant] + DONE_STAMP
        command, stdin = [python, "-S", "-c", code], ""
    started = time.monotonic()
    done = subprocess.run(command, cwd=package_dir, env=env, input=stdin, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        sys.exit(f"{variant} failed:\n{done.stderr[-3000:]}")
    if variant not in FIRST_PATH:
        at, cpu = map(float, done.stdout.split()[-2:])
        return {"wall": at - started, "cpu": cpu}
    replies = [
        json.loads(line[len(RESULT_MARK) :]) for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)
    ]
    replies = [r for r in replies if "result" in r]
    for reply in replies:
        if reply["result"]["statusCode"] != 200:
            sys.exit(f"{FIRST_PATH[variant]} answered {reply['result']['statusCode']}: {reply['result']['body'][:500]}")
    first, warm = replies[0]["ms"] / 1000, [r["ms"] / 1000 for r in replies[1:]]
    # The driver stamps each reply with the machine-wide monotonic clock: the process up to its first reply.
    return {
        "wall": replies[0]["at"] - started,
        "cpu": replies[0]["cpu"],
        "first": first,
        "warm": statistics.median(warm),
    }


def summary(times, key):
    values = [t[key] for t in times]
    return statistics.median(values), min(values), max(values), len(values)


def main():
    parser = argparse.ArgumentParser(description="Lambda cold start and first request against flask + boto3")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--warm", type=int, default=5, help="warm requests after the first, per entry+first run")
    args = parser.parse_args()
    store, token = demo_world()
    try:
        with tempfile.TemporaryDirectory(prefix="coalhaul-cold-") as workdir:
            python, package_dir, boto_dir = prepare(workdir)
            events = {
                variant: [api_event(token, path) for _ in range(1 + args.warm)] for variant, path in FIRST_PATH.items()
            }
            times = {variant: [] for variant in VARIANTS}
            for round_no in range(args.runs):
                order = VARIANTS[round_no % len(VARIANTS) :] + VARIANTS[: round_no % len(VARIANTS)]
                for variant in order:
                    if variant == "entry-nopyc" and round_no % 2:
                        continue  # the slowest variant runs every other round, to keep the bench near a minute
                    env = environment(variant, workdir, store.endpoint)
                    times[variant].append(run_once(python, package_dir, boto_dir, variant, env, events))
    finally:
        store.stop()
    print("cold start, python3.12 -S, interleaved runs: median / min / max ms (runs), then median CPU ms")
    for variant, values in times.items():
        print(row(variant + " (process)", values, "wall") + "   cpu %5.0f" % (summary(values, "cpu")[0] * 1000))
    for variant, path in FIRST_PATH.items():
        print(row(f"first {path}", times[variant], "first"))
        print(row(f"warm {path}", times[variant], "warm"))
    wall = {variant: summary(values, "wall")[0] for variant, values in times.items()}
    cpu = {variant: summary(values, "cpu")[0] for variant, values in times.items()}
    first_to_warm = {v: summary(times[v], "first")[0] / summary(times[v], "warm")[0] for v in FIRST_PATH}
    print(
        f"ratio entry / baseline:                 {wall['entry'] / wall['baseline']:.2f}x   "
        f"cpu {cpu['entry'] / cpu['baseline']:.2f}x"
    )
    print(
        f"ratio entry+first request / baseline:   {wall['entry+first'] / wall['baseline']:.2f}x   "
        f"cpu {cpu['entry+first'] / cpu['baseline']:.2f}x  (goal <= 1.5)"
    )
    print(f"ratio first request / warm request:     {first_to_warm['entry+first']:.2f}x  (goal <= 1.5)")
    print(
        f"ratio entry+lazy domain / baseline:     {wall['entry+lazy'] / wall['baseline']:.2f}x   "
        f"cpu {cpu['entry+lazy'] / cpu['baseline']:.2f}x  first/warm {first_to_warm['entry+lazy']:.2f}x  "
        "(a domain loaded on its first request)"
    )
    print(
        f"ratio entry-nopyc / entry:              {wall['entry-nopyc'] / wall['entry']:.2f}x  "
        "(what the precompiled .pyc save)"
    )


def row(label, values, key):
    median, low, high, count = summary(values, key)
    return f"  {label:<24} {median * 1000:7.0f} {low * 1000:7.0f} {high * 1000:7.0f} {count:4d}"


if __name__ == "__main__":
    main()

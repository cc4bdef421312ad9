"""Runs inside `python3.12 -S`, the way AWS Lambda runs the package: only the unzipped package and the
runtime's boto3 on sys.path, cwd = the package. Reads a JSON list of events on stdin, calls
the function's configured entry (LAMBDA_HANDLER, as zappa_settings.json's "lambda_handler" sets it; Zappa's
handler.lambda_handler by default) for each in one warm container, and prints one RESULT line per event.

    python3.12 -S lambda_driver.py <package_dir> <boto_dir> < events.json
"""

import importlib
import json
import os
import sys
import time
import uuid

RESULT_MARK = "@@RESULT@@ "


class LambdaContext:
    """The attributes Lambda's context object carries that Zappa and the app may read."""

    def __init__(self, function_name):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 1024
        self.invoked_function_arn = f"arn:aws:lambda:ap-east-1:123456789012:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self._deadline = time.monotonic() + 30

    def get_remaining_time_in_millis(self):
        return int((self._deadline - time.monotonic()) * 1000)


def only_package_on_path(package_dir, boto_dir):
    """Keep the standard library, drop everything else: no site-packages, no test tree."""
    stdlib = [p for p in sys.path if p.startswith(sys.base_prefix) and "site-packages" not in p]
    sys.path[:] = [package_dir, boto_dir] + stdlib


def main(package_dir, boto_dir):
    only_package_on_path(package_dir, boto_dir)
    os.chdir(package_dir)
    events = json.load(sys.stdin)
    started = time.perf_counter()
    # The entry Lambda is configured with (module.function), imported as Lambda imports it.
    module_name, function = os.environ.get("LAMBDA_HANDLER", "handler.lambda_handler").rsplit(".", 1)
    entry = getattr(importlib.import_module(module_name), function)

    import_ms = (time.perf_counter() - started) * 1000
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "coalhaul-dev")
    for event in events:
        began = time.perf_counter()
        result = entry(event, LambdaContext(function_name))
        elapsed_ms = (time.perf_counter() - began) * 1000
        # "at": CLOCK_MONOTONIC is one clock for every process on the machine, so a parent can time up to here;
        # "cpu": this process's CPU seconds so far (less disturbed than wall time on a busy machine).
        print(
            RESULT_MARK
            + json.dumps(
                {
                    "result": result,
                    "ms": elapsed_ms,
                    "import_ms": import_ms,
                    "at": time.monotonic(),
                    "cpu": time.process_time(),
                },
                default=str,
            ),
            flush=True,
        )
    # Modules the entry deferred (backend/common/lean_imports.py) that nothing in this container went on to use.
    unused = sorted(name for name, module in sys.modules.items() if type(module).__name__ == "DeferredModule")
    # Proof for the caller that nothing outside the package (and boto) was importable.
    foreign = sorted(
        {
            m.__file__
            for m in list(sys.modules.values())
            if getattr(m, "__file__", None)
            and "site-packages" in m.__file__
            and not m.__file__.startswith((package_dir, boto_dir))
        }
    )
    print(RESULT_MARK + json.dumps({"foreign_modules": foreign, "still_deferred": unused}), flush=True)


if __name__ == "__main__":
    main(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2]))

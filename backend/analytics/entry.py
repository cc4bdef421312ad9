"""The Lambda function's entry: DynamoDB stream batches to the aggregates, everything else to Zappa's handler.

Zappa routes a stream record by its exact stream ARN listed in zappa_settings.json, but a stream's ARN is known
only once the stack made the table (and differs per stage). The stack maps the streams to the function itself
(infra: AWS::Lambda::EventSourceMapping with GetAtt StreamArn), and this entry recognises their batches by
eventSource, so the settings carry no ARN. zappa_settings.json names it as "lambda_handler".
"""

import gc
import importlib.util
import logging

from backend.common import lean_imports

if importlib.util.find_spec("handler") is not None:
    # Zappa's entry at the package root, imported while Lambda initialises the container (as it would import it
    # as the function's handler), so the app is built before the first request, not inside it. The cyclic GC
    # waits until the app is built (backend/wsgi.py says why and freezes what was made); Zappa's handler imports
    # asyncio and tarfile for ASGI apps and slim_handler, neither of which this function uses.
    gc.disable()
    try:
        # A log record names its asyncio task when asyncio is loaded (Python 3.12): it would load the real module.
        logging.logAsyncioTasks = False
        lean_imports.defer_modules("asyncio", "tarfile")
        import handler as _zappa
    finally:
        gc.enable()
else:  # outside a package (tests, the local server): looked up on first use
    _zappa = None


def is_stream_batch(event):
    """True for a DynamoDB Streams batch (Lambda's event source mapping), whatever the table."""
    records = event.get("Records") if isinstance(event, dict) else None
    return bool(records) and all(r.get("eventSource") == "aws:dynamodb" for r in records)


def lambda_handler(event, context=None):
    """Stream batches count into the aggregates; HTTP, schedules and commands go to Zappa's handler unchanged."""
    if is_stream_batch(event):
        from backend.analytics.stream import lambda_handler as count_batch

        return count_batch(event, context)
    zappa = _zappa
    if zappa is None:
        import handler as zappa  # Zappa's entry at the package root (copied in by `zappa package`)

    return zappa.lambda_handler(event, context)

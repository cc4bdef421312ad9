"""Count DynamoDB round trips: a botocore hook on every client, as a context manager for assertions."""

import contextlib
import threading

import botocore.client

_local = threading.local()
_original = botocore.client.BaseClient._make_api_call


def _counting_call(self, operation_name, api_params):
    calls = getattr(_local, "calls", None)
    if calls is not None and self.meta.service_model.service_name == "dynamodb":
        calls.append(operation_name)
    return _original(self, operation_name, api_params)


botocore.client.BaseClient._make_api_call = _counting_call


def _settle_periodic_reads():
    """Do the per-process periodic read (recent session cut-offs) now, so a counted block holds only its own calls."""
    try:
        from backend.auth import revocations

        revocations.refresh()
    except Exception:  # no app bound in this process (a bench's client side): nothing periodic to settle
        pass


@contextlib.contextmanager
def count_calls():
    """The DynamoDB operations this thread makes inside the block, in order (e.g. ['BatchGetItem', ...])."""
    previous = getattr(_local, "calls", None)
    _settle_periodic_reads()
    _local.calls = []
    try:
        yield _local.calls
    finally:
        _local.calls = previous

"""Transactions shared by every domain: the step type, which step failed, the request's own steps.

PynamoDB's TransactWrite does not send items in the order they were added: it sends condition
checks, then deletes, then puts, then updates. DynamoDB's cancellation reasons follow the wire
order, so a reason's position says nothing about which step failed unless we record it.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import has_request_context, request

# Per request, not per app context: a test client may share one app context across requests.
HOOKS = "coalhaul.transaction_hooks"

WIRE_ORDER = ("condition_check", "delete", "save", "update")


class StepRecorder:
    """Wraps a TransactWrite; set `.step` before adding items, then map reasons back to steps."""

    def __init__(self, tx):
        self._tx = tx
        self._items = []
        self.step = None

    def __getattr__(self, kind):
        method = getattr(self._tx, kind)
        if kind not in WIRE_ORDER:
            return method

        def record(*args, **kwargs):
            self._items.append((kind, self.step))
            return method(*args, **kwargs)

        return record

    def failed_steps(self, error, code="ConditionalCheckFailed"):
        """The steps whose items were cancelled with `code`, in the order they were added."""
        wire = [step for kind in WIRE_ORDER for (k, step) in self._items if k == kind]
        reasons = getattr(error, "cancellation_reasons", None) or []
        failed = {
            step for step, reason in zip(wire, reasons) if reason is not None and getattr(reason, "code", None) == code
        }
        added = dict.fromkeys(step for _, step in self._items)  # each step once, in the order added
        return [step for step in added if step in failed]


@dataclass
class TxOp:
    """A step one domain adds to another domain's transaction, and the error if its condition fails."""

    apply: Callable  # apply(tx) adds the step to a pynamodb TransactWrite
    error: Exception
    # When the step's condition fails: put things right (a stale claim, a plan not yet made) and
    # return True to have the transaction tried again; tried at most once per step and write.
    recover: Callable | None = None


class StepFailed(Exception):
    """A TxOp's condition failed; the transaction's owner decides between recovering and its error."""

    def __init__(self, op):
        super().__init__(str(op.error))
        self.op = op


# Steps the request itself adds to its one business transaction (today: the Idempotency-Key's
# record, so the reply is kept by the same atomic write as the change it describes).
def add_request_hook(hook):
    """Register an object with ops(result) -> [apply], committed() and failed() for this request."""
    request.environ.setdefault(HOOKS, []).append(hook)


def _hooks():
    return (request.environ.get(HOOKS) or []) if has_request_context() else []


def request_ops(result):
    """The request's own steps for a transaction whose outcome will be `result`."""
    return [op for hook in _hooks() for op in hook.ops(result)]


def request_committed():
    for hook in _hooks():
        hook.committed()


def request_step_failed():
    """A request step's condition failed (a duplicate of this request committed first): let its hook answer."""
    for hook in _hooks():
        hook.failed()


def run_steps(ops, *, tries, pause_s=0.01, failure=None):
    """Commit TxOps in one TransactWriteItems, tried again (with jitter) while other transactions race on the same
    items; a failed step's condition raises its error, or `failure(failed step indexes)` when given."""
    from pynamodb.exceptions import TransactWriteError

    from backend import db  # the shared connection (db imports the settings this module must not)

    for attempt in range(tries):
        recorder = None
        try:
            with db.transaction() as tx:
                recorder = StepRecorder(tx)
                for index, op in enumerate(ops):
                    recorder.step = index
                    op.apply(recorder)
            return
        except TransactWriteError as error:
            failed = recorder.failed_steps(error) if recorder else []
            if failed:
                raise (failure(failed) if failure else ops[failed[0]].error) from error
            raced = recorder and recorder.failed_steps(error, "TransactionConflict")
            if not raced and getattr(error, "cause_response_code", None) != "TransactionConflictException":
                raise
            if attempt == tries - 1:
                raise
            time.sleep(random.uniform(0, pause_s * min(2**attempt, 16)))

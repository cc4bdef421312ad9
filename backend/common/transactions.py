"""Which step of a TransactWrite failed.

PynamoDB's TransactWrite does not send items in the order they were added: it sends condition
checks, then deletes, then puts, then updates. DynamoDB's cancellation reasons follow the wire
order, so a reason's position says nothing about which step failed unless we record it.
"""
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
        failed = {step for step, reason in zip(wire, reasons) if reason is not None and getattr(reason, "code", None) == code}
        added = dict.fromkeys(step for _, step in self._items)  # each step once, in the order added
        return [step for step in added if step in failed]

"""The appointments domain's gate pass and release control, reached through one adapter."""

from backend.appointments.gate_pass import service as gate_pass
from backend.appointments.queue import service as queue


def verify_pass(token, *, now_ms):
    """The claims of a QR gate pass {waybill_id, vehicle_id, plate, slot_id, mine_id, exp}, or ApiError."""
    return gate_pass.verify_pass(token, now_ms=now_ms)


def admit(*, waybill_id, actor, now_ms):
    """Let a called, checked-in, unheld truck in: appointments' release control performs `enter`."""
    return queue.admit(waybill_id=waybill_id, actor=actor, now_ms=now_ms)

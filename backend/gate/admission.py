"""The appointments domain's gate pass and release control, reached through one adapter."""
from backend.common.errors import ApiError
from backend.waybills import service as waybills_service


def verify_pass(token, *, now_ms):
    """The claims of a QR gate pass {waybill_id, vehicle_id, plate, slot_id, mine_id, exp}, or ApiError."""
    try:
        from backend.appointments.gate_pass import verify_pass as verify
    except ImportError:
        raise ApiError("gate_pass_unavailable", "gate passes cannot be verified yet", status=503) from None
    return verify(token, now_ms=now_ms)


def admit(*, waybill_id, actor, now_ms):
    """Let a called, checked-in, unheld truck in: the `enter` transition under release control."""
    try:
        from backend.appointments.service import admit as appointments_admit
    except ImportError:
        appointments_admit = None
    if appointments_admit is not None:
        return appointments_admit(waybill_id=waybill_id, actor=actor, now_ms=now_ms)
    # Until appointments lands, the state machine itself is the release control: only `called` enters.
    return waybills_service.transition(waybill_id=waybill_id, action="enter", actor=actor, now_ms=now_ms)

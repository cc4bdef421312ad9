"""Who else hears every accepted fix: the appointments check-in (geofence at the mine)."""


def _appointments_checkin():
    # Imported lazily: check-in pulls in the appointments domain (and its fence index) only when fixes arrive.
    from backend.appointments.checkin import process_fixes
    return process_fixes


def _gate_rescore():
    from backend.gate.scoring import on_late_fixes  # late blind-zone fixes rescore gate sightings (issue 5)
    return on_late_fixes


CONSUMERS = [_appointments_checkin, _gate_rescore]


def publish(fixes, *, vehicle_id, driver_id, now_ms):
    """Feed one vehicle's accepted fixes, oldest first, to every consumer (each takes the whole batch)."""
    ordered = sorted(fixes, key=lambda fix: fix["at_ms"])
    for load in CONSUMERS:
        load()(vehicle_id=vehicle_id, driver_id=driver_id, fixes=ordered, now_ms=now_ms)

"""Who else hears every accepted fix: the appointments check-in (geofence at the mine)."""


def _appointments_checkin():
    # Imported lazily: check-in pulls in the appointments domain (and its fence index) only when fixes arrive.
    from backend.appointments.checkin import process_fix
    return process_fix


def _gate_rescore():
    from backend.gate.scoring import on_late_fix  # late blind-zone fixes rescore gate sightings (issue 5)
    return on_late_fix


CONSUMERS = [_appointments_checkin, _gate_rescore]


def publish(fixes, *, vehicle_id, driver_id, now_ms):
    """Feed each accepted fix, oldest first, to every consumer."""
    listeners = [load() for load in CONSUMERS]
    for fix in fixes:
        for listener in listeners:
            listener(vehicle_id=vehicle_id, driver_id=driver_id, lon=fix["lon"], lat=fix["lat"],
                     accuracy_m=fix.get("accuracy_m"), at_ms=fix["at_ms"], now_ms=now_ms)

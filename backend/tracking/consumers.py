"""Who else hears every accepted fix: the appointments check-in (geofence at the mine)."""


def _appointments_checkin():
    # Imported lazily: check-in pulls in the appointments domain only when a fix arrives.
    try:
        from backend.appointments.checkin import process_fix
    except ImportError:  # tolerated only until the appointments issue lands its checkin module
        return None
    return process_fix


def consumers():
    """The callables to feed each fix to, as process_fix(*, vehicle_id, driver_id, lon, lat, accuracy_m, at_ms, now_ms)."""
    found = [_appointments_checkin()]
    return [c for c in found if c is not None]


def publish(fixes, *, vehicle_id, driver_id, now_ms):
    """Feed each accepted fix, oldest first, to every consumer."""
    listeners = consumers()
    for fix in fixes:
        for listener in listeners:
            listener(vehicle_id=vehicle_id, driver_id=driver_id, lon=fix["lon"], lat=fix["lat"],
                     accuracy_m=fix.get("accuracy_m"), at_ms=fix["at_ms"], now_ms=now_ms)

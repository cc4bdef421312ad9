"""Appointment rules that operators tune per deployment (environment variables with defaults)."""
import os
from dataclasses import dataclass


def _int(name, default):
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Rules:
    window_minutes: int
    day_start_hour: int
    day_end_hour: int
    days_ahead: int
    early_minutes: int  # how long before its window a truck may check in
    late_minutes: int  # how long after its window ends a truck may still check in
    grace_minutes: int  # after the drive from the lot, how long a called truck has to reach the gate
    max_accuracy_m: int  # fixes less precise than this are ignored
    debounce_fixes: int
    debounce_seconds: int
    avg_speed_kmh: int
    road_factor: float


def rules():
    """The current rules (read each call so tests and operators can change the environment)."""
    return Rules(window_minutes=_int("SLOT_WINDOW_MINUTES", 60), day_start_hour=_int("SLOT_DAY_START_HOUR", 6),
                 day_end_hour=_int("SLOT_DAY_END_HOUR", 22), days_ahead=_int("SLOT_DAYS_AHEAD", 2),
                 early_minutes=_int("CHECKIN_EARLY_MINUTES", 60), late_minutes=_int("CHECKIN_LATE_MINUTES", 30),
                 grace_minutes=_int("CALL_GRACE_MINUTES", 15), max_accuracy_m=_int("FIX_MAX_ACCURACY_M", 100),
                 debounce_fixes=_int("CHECKIN_DEBOUNCE_FIXES", 2), debounce_seconds=_int("CHECKIN_DEBOUNCE_SECONDS", 60),
                 avg_speed_kmh=_int("AVG_TRUCK_SPEED_KMH", 40), road_factor=float(os.environ.get("ROAD_FACTOR", 1.3)))

"""Appointment rules that operators tune per deployment, as one typed view of backend.config's table."""

from dataclasses import dataclass

from backend.config import setting


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
    lot_max: int  # most trucks waiting in the lot at once (check-in beyond waits outside)
    overbook_max: float  # cap on the overbooking rate
    no_show_offer_minutes: int  # after its arrive-by time, an absent truck's seat is offered to standby
    call_buffer: int  # trucks on call beyond the lanes that free during the drive
    arrival_buffer_minutes: int


def rules():
    """The current rules (read each call: tests override them in app.config)."""
    return Rules(
        window_minutes=setting("SLOT_WINDOW_MINUTES"),
        day_start_hour=setting("SLOT_DAY_START_HOUR"),
        day_end_hour=setting("SLOT_DAY_END_HOUR"),
        days_ahead=setting("SLOT_DAYS_AHEAD"),
        early_minutes=setting("CHECKIN_EARLY_MINUTES"),
        late_minutes=setting("CHECKIN_LATE_MINUTES"),
        grace_minutes=setting("CALL_GRACE_MINUTES"),
        max_accuracy_m=setting("FIX_MAX_ACCURACY_M"),
        debounce_fixes=setting("CHECKIN_DEBOUNCE_FIXES"),
        debounce_seconds=setting("CHECKIN_DEBOUNCE_SECONDS"),
        avg_speed_kmh=setting("AVG_TRUCK_SPEED_KMH"),
        road_factor=setting("ROAD_FACTOR"),
        lot_max=setting("LOT_MAX_TRUCKS"),
        overbook_max=setting("OVERBOOK_MAX_RATE"),
        no_show_offer_minutes=setting("NO_SHOW_OFFER_MINUTES"),
        call_buffer=setting("CALL_BUFFER_TRUCKS"),
        arrival_buffer_minutes=setting("ARRIVAL_BUFFER_MINUTES"),
    )

"""The rules that respect people, as plain functions: channels by urgency, opt-outs, quiet hours, backoff."""

from datetime import datetime, timedelta

from backend.common.clock import SHANGHAI
from backend.notifications import catalog


def sms_wanted(kind):
    """SMS only for must-deliver kinds (called, hold, window closed): it costs money and wakes people."""
    return catalog.KINDS[kind].critical


def push_wanted(kind, opt_outs):
    """Web Push unless the person opted out of a non-critical kind (critical ones cannot be opted out of)."""
    return catalog.KINDS[kind].critical or kind not in (opt_outs or ())


def quiet_hours(prefs, default_start, default_end):
    """(start, end) hours for a person: theirs when both are set, else the platform's."""
    if prefs is not None and prefs.quiet_start is not None and prefs.quiet_end is not None:
        return int(prefs.quiet_start), int(prefs.quiet_end)
    return default_start, default_end


def quiet_until(now_ms, start, end):
    """When the quiet hours around now_ms end (epoch ms), or None outside them. start == end: never quiet."""
    if start == end:
        return None
    local = datetime.fromtimestamp(now_ms / 1000, tz=SHANGHAI)
    hour = local.hour
    inside = start <= hour < end if start < end else (hour >= start or hour < end)
    if not inside:
        return None
    until = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if until <= local:
        until += timedelta(days=1)
    return int(until.timestamp() * 1000)


def send_after(kind, now_ms, quiet):
    """now_ms, or the end of quiet hours for a kind that does not wake people."""
    if catalog.KINDS[kind].wakes:
        return now_ms
    return quiet_until(now_ms, *quiet) or now_ms


def backoff_ms(attempts, base_s, cap_s=3600):
    """Exponential: base, 2·base, 4·base ... capped."""
    return int(min(cap_s, base_s * 2 ** max(0, attempts - 1)) * 1000)


def budgets(phone, now_ms, *, rate_limit, rate_window_s, daily_cap):
    """The per-number budget items an SMS takes: (key, limit, ttl seconds)."""
    window = now_ms // (rate_window_s * 1000)
    day = datetime.fromtimestamp(now_ms / 1000, tz=SHANGHAI).strftime("%Y-%m-%d")
    return [
        (f"rate#{phone}#{window}", rate_limit, rate_window_s * 2),
        (f"day#{phone}#{day}", daily_cap, 2 * 86400),
    ]

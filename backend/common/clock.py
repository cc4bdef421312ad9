"""The clock: UTC epoch milliseconds. Services take `now_ms` so tests can inject time."""

import time
from datetime import datetime, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8))  # China has no DST; avoids needing tzdata in Lambda


def now_ms():
    """Current UTC time in epoch milliseconds."""
    return int(time.time() * 1000)


def shanghai_date(ms):
    """The Asia/Shanghai calendar date (YYYY-MM-DD) of an epoch-ms instant."""
    return datetime.fromtimestamp(ms / 1000, tz=SHANGHAI).strftime("%Y-%m-%d")


def shanghai_midnight_ms(date_text):
    """Epoch ms of 00:00 Asia/Shanghai on a YYYY-MM-DD date."""
    day = datetime.strptime(date_text, "%Y-%m-%d").replace(tzinfo=SHANGHAI)
    return int(day.timestamp() * 1000)

"""Silence is an event: a truck in transit whose phone and terminal both stopped reporting raises "signal lost".

Read by key: each mine's in-transit waybills from its state index (never history), then each truck's latest
fix (phone and terminal fixes are stored per vehicle alike: one Query). The alert id names the episode (the
waybill and its last fix), so a run repeated every minute raises it once; when fixes resume it is cleared.
The tracking and alerts services are passed in by the job (backend/jobs.py): both depend on accounts, which
depends on auth, which sends its codes through this domain, so importing them here would close a cycle.
"""

from backend.catalogue import service as catalogue
from backend.config import setting
from backend.notifications import people, service
from backend.waybills import service as waybills

PAGE = 100


def in_transit(mine_id):
    """A mine's waybills in transit, page by page through the state index."""
    cursor = None
    while True:
        page, cursor = waybills.list_by("mine", mine_id, state="in_transit", limit=PAGE, last_evaluated_key=cursor)
        yield from page
        if cursor is None:
            return


def watch(*, now_ms, last_fix, alerts, mine_ids=None):
    """One pass: {"lost": new episodes, "cleared": alerts closed because fixes resumed, "watched": trucks}.

    `last_fix(vehicle_id, at_ms=)` is tracking's latest-fix lookup; `alerts` the alerts service.
    """
    quiet_ms = setting("SIGNAL_LOST_MINUTES") * 60_000
    counts = {"lost": 0, "cleared": 0, "watched": 0}
    for mine_id in mine_ids or [mine.mine_id for mine in catalogue.list_mines()]:
        for waybill in in_transit(mine_id):
            if not waybill.vehicle_id:
                continue
            counts["watched"] += 1
            fix = last_fix(waybill.vehicle_id, at_ms=now_ms)
            last = fix.at_ms if fix else waybill.updated_at  # no fix since departure: silent since then
            if now_ms - last >= quiet_ms:
                counts["lost"] += 1 if _lost(waybill, last, now_ms, alerts) else 0
            elif fix:
                counts["cleared"] += alerts.clear_episode_alerts(
                    kind="signal_lost", waybill_id=waybill.waybill_id, reason="fixes resumed", now_ms=now_ms
                )
    return counts


def _lost(waybill, last_ms, now_ms, alerts):
    minutes = (now_ms - last_ms) // 60_000
    alert = alerts.raise_episode_alert(
        kind="signal_lost",
        episode=f"{waybill.waybill_id}_{last_ms}",
        mine_id=waybill.mine_id,
        reason=f"{waybill.plate or waybill.vehicle_id}: no fix from phone or terminal for {minutes} min",
        now_ms=now_ms,
        waybill_id=waybill.waybill_id,
        carrier_id=waybill.carrier_id,
        vehicle_id=waybill.vehicle_id,
        plate=waybill.plate,
        evidence={"numbers": {"silent_min": minutes, "last_fix_ms": last_ms}},
    )
    if alert is None:
        return False  # this episode was raised already
    # The dispatch centre sees the alert in its open list; the carrier's desk also gets an inbox message.
    service.announce(
        kind="signal_lost",
        user_ids=people.org_users(waybill.carrier_id, "carrier"),
        event_id=alert.alert_id,
        params={"plate": waybill.plate or "", "minutes": minutes, "waybill": waybill.waybill_id[-8:]},
        now_ms=now_ms,
    )
    return True

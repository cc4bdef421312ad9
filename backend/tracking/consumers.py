"""Who else hears every accepted fix: announced through backend/events.py ("fixes_accepted").

Tracking does not know its listeners (the appointments check-in, the gate's rescoring); the events
table names them, so neither of those domains is imported from here and no cycle can form.
"""

from backend import events


def publish(fixes, *, vehicle_id, driver_id, now_ms):
    """Feed one vehicle's accepted fixes, oldest first, to every listener (each takes the whole batch)."""
    ordered = sorted(fixes, key=lambda fix: fix["at_ms"])
    events.publish("fixes_accepted", vehicle_id=vehicle_id, driver_id=driver_id, fixes=ordered, now_ms=now_ms)

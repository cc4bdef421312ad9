"""Per-vehicle fence state for the automatic check-in."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from backend.common.table_model import Model


class CheckinDebounce(Model):
    """Per-vehicle fence state between fixes (a Lambda keeps no memory between calls)."""

    class Meta:
        table_name = "checkin_debounce"

    vehicle_id = UnicodeAttribute(hash_key=True)
    inside = NumberAttribute(default=0)  # 1 inside, 0 outside
    streak = NumberAttribute(default=0)  # consecutive fixes on the same side
    since_ms = NumberAttribute()  # first fix of the current streak
    last_fix_ms = NumberAttribute()

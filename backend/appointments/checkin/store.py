"""The per-vehicle fence state between position fixes."""

from pynamodb.exceptions import DoesNotExist

from backend.appointments.checkin.models import CheckinDebounce


def get_debounce(vehicle_id):
    try:
        return CheckinDebounce.get(vehicle_id, consistent_read=True)
    except DoesNotExist:
        return None


def save_debounce(state):
    state.save()

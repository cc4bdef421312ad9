"""Who a notification reaches, asked of the accounts' owner through backend/events.py.

auth sends its sign-in codes through notifications (sms.py), so notifications may not import auth back (an
import cycle); the owner's functions are named in the events table instead and loaded on first use.
"""

from backend import events


def user_read(user_id):
    """A person's record (their phone) as a read for a batch (backend.common.batch.get_many)."""
    return events.listeners("person_read")[0](user_id)


def org_users(org_id, role, *, limit=20):
    """The user ids of an organisation's people in one role (a carrier's or shipper's desk: a handful)."""
    if not org_id:
        return []
    users, _ = events.listeners("org_people")[0](org_id, role=role, limit=limit, last_evaluated_key=None)
    return [user.user_id for user in users]

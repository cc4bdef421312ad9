"""Push subscriptions: kept per user and browser, read all at once when a notification goes out."""

from backend.notifications.models import PushSubscription


def save(subscription):
    """Keep a subscription (the same browser subscribing again replaces its record)."""
    subscription.save()


def user_subscriptions(user_id):
    """Every browser the user subscribed (a handful: one Query)."""
    return PushSubscription.query(user_id)

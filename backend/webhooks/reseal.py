"""Seal every webhook secret still in the clear, or sealed by a seal key other than the current one.

    .venv/bin/python -m backend.webhooks.reseal      # against the configured store

Run it once after deploying the version that seals secrets (subscriptions made before it kept them in the
clear), and after each change of SECRET_SEAL_KEY (with the old key in SECRET_SEAL_KEY_PREVIOUS until it is
done). Subscriptions keep working throughout: each value names the key that sealed it. Re-runs change nothing
more; a rotation racing it wins (and writes its secrets sealed). The local runner (backend/devserver.py) runs
it at start-up.
"""

import logging

from backend.common.sealing import SealError, needs_resealing
from backend.webhooks import store

log = logging.getLogger(__name__)


def reseal():
    """The number of subscriptions whose secrets were written sealed under the current key.

    A subscription whose secret no configured key opens (its key was dropped before this ran) is logged by its
    ids and left as it is: the rest are still sealed, and the job can run again once the key is back."""
    done = 0
    for owner_id, sub_id in store.subscription_keys_with_secrets(
        lambda secret, old: needs_resealing(secret) or needs_resealing(old)
    ):
        try:
            subscription = store.get_subscription(owner_id, sub_id)
        except SealError as error:
            log.warning("webhook %s of %s left as it is: %s", sub_id, owner_id, error)
            continue
        if subscription is not None and store.reseal_subscription(subscription):
            done += 1
    if done:
        log.info("sealed the secrets of %d webhook subscriptions", done)
    return done


def main():
    from backend.app import create_app

    with create_app().app_context():
        print(f"webhook subscriptions resealed: {reseal()}")


if __name__ == "__main__":
    main()

"""The module-level app: Zappa's app_function and the local server both import `app`."""

import gc

from backend.common import hmac_jwt, lean_imports

# Building the app allocates a few hundred thousand long-lived objects (routes, schemas, models, botocore's
# model): the cyclic GC would scan them again and again while they are made (~10 % of a cold start). It is
# off until the app is built; then they move to the permanent generation (gc.freeze), so no later collection,
# in the first request or any other, walks them. The price: a cycle that became garbage while starting is kept.
gc.disable()
try:
    hmac_jwt.load()  # before anything imports PyJWT: HMAC only, cryptography waits for a request that needs it
    lean_imports.load_marshmallow()  # its Email patterns compiled on first use (never, here)
    lean_imports.load_smorest()  # without PyYAML, which only its CLI's yaml output uses

    from backend import db
    from backend.app import create_app
    from backend.auth import revocations
    from backend.catalogue import directory
    from backend.common import client_priming

    def start_store_work(app):
        # The DynamoDB client is built while the container starts (Lambda's init phase), not in its first
        # request; the session cut-offs and the mine directory (which every hall poll shows) are read on
        # threads of their own while the routes load.
        db.warm_up()
        revocations.prefetch_in_background(app)
        directory.prefetch_in_background(app)

    app = create_app(on_store_bound=start_store_work)
    client_priming.prime(db.connection().client)  # each operation's first call, answered in process
finally:
    gc.freeze()
    gc.enable()

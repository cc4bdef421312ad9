"""The module-level app: Zappa's app_function and the local server both import `app`."""

from backend.common import hmac_jwt

hmac_jwt.load()  # before anything imports PyJWT: HMAC only, cryptography waits for a request that needs it

from backend import db  # noqa: E402
from backend.app import create_app  # noqa: E402

app = create_app()
# The DynamoDB client is built while the container starts (Lambda's init phase), not inside its first request.
db.warm_up()

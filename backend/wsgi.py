"""The module-level app: Zappa's app_function and the local server both import `app`."""

from backend import db
from backend.app import create_app

app = create_app()
# The DynamoDB client is built while the container starts (Lambda's init phase), not inside its first request.
db.warm_up()

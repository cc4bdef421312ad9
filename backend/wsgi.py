"""The module-level app: Zappa's app_function and the local server both import `app`."""
from backend.app import create_app

app = create_app()

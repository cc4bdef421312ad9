"""The one appointments blueprint (URL prefix /api/appointments, OpenAPI tag "appointments").

Each sub-package's routes.py adds its operations to it; appointments/routes.py imports them all.
"""

from backend.common.blueprint import Blueprint

blp = Blueprint(
    "appointments",
    __name__,
    url_prefix="/api/appointments",
    description="Mine windows, bookings, check-in, the virtual queue and gate passes",
)
MINE_STAFF = ("gate", "dispatcher", "admin")

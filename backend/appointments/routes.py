"""The appointments API: importing each sub-package's routes adds its operations to the one blueprint."""

from backend.appointments.blueprint import blp
from backend.appointments.booking import routes as booking_routes
from backend.appointments.checkin import routes as checkin_routes
from backend.appointments.gate_pass import routes as gate_pass_routes
from backend.appointments.log import routes as log_routes
from backend.appointments.queue import routes as queue_routes
from backend.appointments.windows import routes as windows_routes

SUB_ROUTES = (windows_routes, booking_routes, checkin_routes, queue_routes, gate_pass_routes, log_routes)
__all__ = ["blp", "SUB_ROUTES"]

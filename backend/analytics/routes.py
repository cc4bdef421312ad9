"""The command centre's API: a theme's dashboard from the aggregates (dispatch, a mine's gate, a shipper)."""

from flask import current_app
from marshmallow import Schema, fields, validate

from backend.analytics import service
from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint

blp = Blueprint("analytics", __name__, url_prefix="/api/analytics", description="Command centre KPIs")
READERS = ("dispatcher", "admin", "gate", "shipper")
REPORT_READERS = READERS + ("carrier",)


class DashboardArgs(Schema):
    theme = fields.String(load_default="capacity", validate=validate.OneOf(tuple(service.THEMES)))
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    mine_id = fields.String(load_default=None)
    shipper_id = fields.String(load_default=None)


class DashboardSchema(Schema):
    theme = fields.String()
    scope = fields.Dict()
    days = fields.List(fields.String())
    series = fields.List(fields.Dict())
    totals = fields.Dict()
    ratios = fields.Dict()
    live = fields.Dict()
    rows = fields.List(fields.Dict())
    rows_kind = fields.String()
    hours = fields.List(fields.Dict())


@blp.route("/dashboard", methods=["GET"])
@roles_required(*READERS)
@blp.arguments(DashboardArgs, location="query")
@blp.response(200, DashboardSchema)
def dashboard(args):
    """A theme (capacity, dispatch, customers, in_transit) over days: series, totals, ratios, live gauge, rows."""
    return service.dashboard(principal=current_principal(), **args)


class ReportListArgs(Schema):
    kind = fields.String(load_default=None, validate=validate.OneOf(("mine", "shipper", "carrier")))
    party = fields.String(load_default=None, validate=validate.Length(min=1, max=128))


class ReportSchema(Schema):
    cadence = fields.String()
    start = fields.String()
    end = fields.String()
    kind = fields.String()
    party = fields.String()
    party_name = fields.String(allow_none=True)  # a company's name (mines are named from the catalogue)
    totals = fields.Dict()
    generated_at = fields.Integer()


class ReportListSchema(Schema):
    items = fields.List(fields.Nested(ReportSchema))


@blp.route("/reports", methods=["GET"])
@roles_required(*REPORT_READERS)
@blp.arguments(ReportListArgs, location="query")
@blp.response(200, ReportListSchema)
def list_reports(args):
    """Daily, weekly and monthly reports the caller may download (dispatch: all; a party: its own), newest first."""
    return {"items": service.list_reports(principal=current_principal(), **args)}


@blp.route("/reports/<kind>/<party>/<cadence>/<start>/<fmt>", methods=["GET"])
@roles_required(*REPORT_READERS)
@blp.response(200)
def download_report(kind, party, cadence, start, fmt):
    """One report as XLSX (fmt=xlsx), PDF (fmt=pdf, A4 landscape) or a printable page (fmt=html)."""
    body, mimetype, name = service.report_file(
        principal=current_principal(), kind=kind, party=party, cadence=cadence, start=start, fmt=fmt
    )
    reply = current_app.response_class(body, mimetype=mimetype)
    disposition = "attachment" if fmt == "xlsx" else "inline"
    reply.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return reply


MANAGERS = ("dispatcher", "admin")


class ChoiceArgs(Schema):
    cadences = fields.List(fields.String(validate=validate.OneOf(("daily", "weekly", "monthly"))), required=True)


class ChoiceSchema(Schema):
    role = fields.String()
    cadences = fields.List(fields.String())


class ChoiceListSchema(Schema):
    items = fields.List(fields.Nested(ChoiceSchema))


@blp.route("/report-choices", methods=["GET"])
@roles_required(*MANAGERS)
@blp.response(200, ChoiceListSchema)
def list_report_choices():
    """Which report cadences each party role (gate, shipper, carrier) receives."""
    return {"items": service.report_choices()}


@blp.route("/report-choices/<role>", methods=["PUT"])
@roles_required(*MANAGERS)
@blp.arguments(ChoiceArgs)
@blp.response(200, ChoiceSchema)
def choose_reports(args, role):
    """A manager chooses the report cadences a role receives (daily, weekly, monthly)."""
    return service.choose_reports(role=role, cadences=args["cadences"])


class SubscriptionSchema(Schema):
    cadences = fields.List(fields.String())
    available = fields.List(fields.String())


@blp.route("/subscription", methods=["GET"])
@roles_required(*REPORT_READERS)
@blp.response(200, SubscriptionSchema)
def my_subscription():
    """The report cadences I receive in my inbox, and those my role may receive."""
    return service.my_subscription(principal=current_principal())


@blp.route("/subscription", methods=["PUT"])
@roles_required(*REPORT_READERS)
@blp.arguments(ChoiceArgs)
@blp.response(200, SubscriptionSchema)
def subscribe(args):
    """Choose the report cadences I receive (a new report of my party then reaches my inbox with a link)."""
    return service.subscribe(principal=current_principal(), cadences=args["cadences"])

"""The compliance screen's API (platform operator) and the driver's consent to send phone positions."""

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.regfeed import consent, schemas, service

blp = Blueprint("regfeed", __name__, url_prefix="/api/regfeed", description="Regulatory feed to the province")


@blp.route("/summary", methods=["GET"])
@roles_required("admin")
@blp.response(200, schemas.Summary)
def summary():
    """Documents by upload state."""
    return service.summary()


@blp.route("/documents", methods=["GET"])
@roles_required("admin")
@blp.arguments(schemas.QueueArgs, location="query")
@blp.response(200, schemas.DocumentPage)
def documents(args):
    """One state's documents (blocked: the compliance work queue; rejected: the province's reasons)."""
    items, lek = service.queue(
        state=args["state"],
        mine_id=args["mine_id"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/documents/<document_id>/resend", methods=["POST"])
@roles_required("admin")
@blp.response(200, schemas.DocumentSchema)
def resend(document_id):
    """Send again after a fix: a rejected document as a correction, a blocked one checked again."""
    return service.resend(document_id=document_id, now_ms=now_ms())


@blp.route("/consent", methods=["GET"])
@roles_required("driver")
@blp.response(200, schemas.ConsentSchema)
def get_consent():
    """Whether the driver agreed to send their phone's position at departure and delivery."""
    return consent.get(principal=current_principal())


@blp.route("/consent", methods=["PUT"])
@roles_required("driver")
@blp.arguments(schemas.ConsentArgs)
@blp.response(200, schemas.ConsentSchema)
def put_consent(args):
    """Give or withdraw consent (recorded with its time and the wording agreed to)."""
    return consent.record(principal=current_principal(), granted=args["granted"], now_ms=now_ms())

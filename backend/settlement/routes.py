"""Settlement: a waybill's breakdown for its parties, contract terms for the platform."""

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.settlement import service
from backend.settlement.schemas import AdjustmentArgs, BreakdownSchema, DisputeResolveArgs, TermsArgs, TermsSchema
from backend.waybills.routes import PARTIES

blp = Blueprint("settlement", __name__, url_prefix="/api/settlement", description="Settlement by weight (结算)")


@blp.route("/waybills/<waybill_id>", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, BreakdownSchema)
def get_breakdown(waybill_id):
    """Earnings and charges of one waybill: weights, allowance, prices, detention and each ledger line."""
    return service.breakdown(current_principal(), waybill_id)


@blp.route("/waybills/<waybill_id>/settle", methods=["POST"])
@roles_required("dispatcher", "admin")
@blp.response(200, BreakdownSchema)
def post_settle(waybill_id):
    """Settle a confirmed waybill: every part not yet posted moves with confirmed → settled (409 otherwise)."""
    principal = current_principal()
    service.settle(waybill_id=waybill_id, now_ms=now_ms())
    return service.breakdown(principal, waybill_id)


@blp.route("/waybills/<waybill_id>/resolve", methods=["POST"])
@roles_required("dispatcher", "admin")
@blp.arguments(DisputeResolveArgs)
@blp.response(200, BreakdownSchema)
def post_resolve(args, waybill_id):
    """Resolve a dispute: disputed → confirmed with a reason (and an agreed received weight); settled next run."""
    principal = current_principal()
    service.resolve(principal=principal, waybill_id=waybill_id, now_ms=now_ms(), **args)
    return service.breakdown(principal, waybill_id)


@blp.route("/waybills/<waybill_id>/adjustments", methods=["POST"])
@roles_required(*service.ADJUSTERS)
@blp.arguments(AdjustmentArgs)
@blp.response(200, BreakdownSchema)
def post_adjustment(args, waybill_id):
    """Add a bonus (+fen) or a deduction (−fen) with its reason, before settlement; each is its own ledger line."""
    return service.add_adjustment(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/terms/<mine_id>", methods=["PUT"])
@roles_required("admin")
@blp.arguments(TermsArgs)
@blp.response(200, TermsSchema)
def put_terms(args, mine_id):
    """A contract's settlement terms: the mine's standard, or a shipper's at the mine."""
    return service.save_terms(mine_id=mine_id, actor_id=current_principal().user_id, now_ms=now_ms(), **args)

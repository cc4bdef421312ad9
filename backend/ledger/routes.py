"""The ledger API: a party's balance and statements (JSON pages, CSV or XLSX downloads); shippers' prepaid money."""

from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.ledger import prepaid, reports
from backend.ledger.schemas import (
    BalanceSchema,
    CreditLimitArgs,
    PositionArgs,
    PositionSchema,
    PrepaymentArgs,
    PrepaymentSchema,
    ReceivablesArgs,
    ReceivablesSchema,
    StatementArgs,
    StatementSchema,
)

blp = Blueprint("ledger", __name__, url_prefix="/api/ledger", description="Balances and statements (账户与对账单)")
PARTIES = ("buyer", "driver", "carrier", "shipper", "dispatcher", "admin")
SALES = ("dispatcher", "admin")  # who acts for the sales company


@blp.route("/accounts/<account_id>/balance", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, BalanceSchema)
def get_balance(account_id):
    """An account's balance, available amount and credit limit in fen (a party sees only its own accounts)."""
    return reports.balance_view(principal=current_principal(), account_id=account_id)


@blp.route("/statements", methods=["GET"])
@roles_required(*PARTIES)
@blp.arguments(StatementArgs, location="query")
@blp.response(200, StatementSchema)
def get_statement(args):
    """Opening balance, entries linked to waybills (with VAT lines for carriers), closing balance; or a file."""
    return reports.statement(principal=current_principal(), args=args)


@blp.route("/credit-limits/<shipper_org_id>", methods=["PUT"])
@roles_required(*SALES)
@blp.arguments(CreditLimitArgs)
@blp.response(200, PositionSchema)
def put_credit_limit(args, shipper_org_id):
    """Set how far a shipper's prepaid balance at a mine may go below zero (fen); replies its position there."""
    return prepaid.set_credit_limit(principal=current_principal(), org_id=shipper_org_id, **args)


@blp.route("/prepayments", methods=["POST"])
@roles_required(*SALES)
@blp.arguments(PrepaymentArgs)
@blp.response(200, PrepaymentSchema)
def post_prepayment(args):
    """Record a shipper's bank transfer into its prepaid account, once per bank reference."""
    return prepaid.record_prepayment(
        principal=current_principal(),
        org_id=args["shipper_org_id"],
        mine_id=args["mine_id"],
        amount_fen=args["amount_fen"],
        bank_reference=args["bank_reference"],
    )


@blp.route("/shippers/<org_id>/position", methods=["GET"])
@roles_required("shipper", *SALES)
@blp.arguments(PositionArgs, location="query")
@blp.response(200, PositionSchema)
def get_position(args, org_id):
    """A shipper's prepaid money per mine's sales company; with ?mine_id= that account's newest entries."""
    return prepaid.position(principal=current_principal(), org_id=org_id, mine_id=args["mine_id"])


@blp.route("/receivables", methods=["GET"])
@roles_required(*SALES)
@blp.arguments(ReceivablesArgs, location="query")
@blp.response(200, ReceivablesSchema)
def get_receivables(args):
    """Per mine the sales account's balance; the shippers that owe, and how much (fen)."""
    return prepaid.receivables(mine_id=args["mine_id"])

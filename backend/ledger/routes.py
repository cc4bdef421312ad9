"""The ledger API: a party's balance and statements (JSON pages, CSV or XLSX downloads)."""

from flask_smorest import Blueprint

from backend.common.access import current_principal, roles_required
from backend.ledger import reports
from backend.ledger.schemas import BalanceSchema, StatementArgs, StatementSchema

blp = Blueprint("ledger", __name__, url_prefix="/api/ledger", description="Balances and statements (账户与对账单)")
PARTIES = ("buyer", "driver", "carrier", "shipper", "dispatcher", "admin")


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

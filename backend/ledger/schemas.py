"""Arguments and replies of the ledger API (records' fields come from their models)."""

from marshmallow import Schema, fields, validate

from backend.common.schemas import model_schema
from backend.ledger.models import JournalLine, LedgerAccount

FORMATS = ("json", "csv", "xlsx")


class StatementArgs(Schema):
    account = fields.String(load_default=None, validate=validate.Length(min=3, max=200))
    # Epoch ms, or a YYYY-MM-DD Shanghai date (`to` then includes that whole day).
    from_ = fields.String(required=True, data_key="from", validate=validate.Length(min=1, max=20))
    to = fields.String(required=True, validate=validate.Length(min=1, max=20))
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None)


class InvoiceLineSchema(Schema):
    """Transport services' VAT split of what a carrier or driver earned (the data for a 9 % invoice)."""

    amount_excl_tax = fields.Integer()
    tax = fields.Integer()
    total = fields.Integer()
    rate_permille = fields.Integer()


StatementLineSchema = model_schema(
    JournalLine,
    "StatementLine",
    exclude=("account_id", "line_key"),
    extra={"balance_after": fields.Integer(), "invoice": fields.Nested(InvoiceLineSchema, allow_none=True)},
)


class TotalsSchema(Schema):
    in_ = fields.Integer(data_key="in", attribute="in")
    out = fields.Integer()
    tax = fields.Integer()
    excl_tax = fields.Integer()


class StatementSchema(Schema):
    account = fields.String()
    kind = fields.String()
    owner_id = fields.String()
    start_ms = fields.Integer()
    end_ms = fields.Integer()
    opening_balance = fields.Integer()
    entries = fields.List(fields.Nested(StatementLineSchema))
    closing_balance = fields.Integer(allow_none=True)  # on the last page
    totals = fields.Nested(TotalsSchema, allow_none=True)  # on the last page
    next_cursor = fields.String(allow_none=True)


BalanceSchema = model_schema(LedgerAccount, "LedgerBalance", rename={"account_id": "account"}, exclude=("updated_at",))

MAX_FEN = 100_000_000_000  # 10 亿元: above any one shipper's credit or transfer; catches a misplaced zero


class CreditLimitArgs(Schema):
    mine_id = fields.String(required=True, validate=validate.Length(min=1, max=128))  # whose sales company
    limit_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_FEN))


class PrepaymentArgs(Schema):
    shipper_org_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    mine_id = fields.String(required=True, validate=validate.Length(min=1, max=128))  # the sales company paid
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_FEN))
    bank_reference = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ReceivablesArgs(Schema):
    mine_id = fields.String(load_default=None, validate=validate.Length(min=1, max=128))


PositionArgs = ReceivablesArgs  # ?mine_id=: one sales company's account; none: the totals


RecentLineSchema = model_schema(JournalLine, "PrepaidLine", exclude=("account_id", "line_key"))


class MinePositionSchema(Schema):
    """A shipper's prepaid account with one mine's sales company, in fen."""

    mine_id = fields.String()
    name = fields.String()
    name_en = fields.String()
    account = fields.String()
    balance = fields.Integer()
    credit_limit = fields.Integer()
    available = fields.Integer()


class PositionSchema(Schema):
    """A shipper's prepaid position in fen (one mine's, or the totals): holds, may owe, can spend, newest entries."""

    org_id = fields.String()
    name = fields.String()
    mine_id = fields.String(allow_none=True)
    account = fields.String(allow_none=True)
    balance = fields.Integer()
    credit_limit = fields.Integer()
    available = fields.Integer()
    entries = fields.List(fields.Nested(RecentLineSchema))
    mines = fields.List(fields.Nested(MinePositionSchema))


class PrepaymentSchema(PositionSchema):
    recorded = fields.Boolean()  # false: this bank reference was recorded before, no money moved now
    bank_reference = fields.String()
    amount_fen = fields.Integer()


class MineSalesSchema(Schema):
    mine_id = fields.String()
    name = fields.String()
    name_en = fields.String()
    sales_balance = fields.Integer()


class ShipperOwingSchema(Schema):
    org_id = fields.String()
    name = fields.String()
    mine_id = fields.String()  # owing rows: the sales company owed
    balance = fields.Integer()
    credit_limit = fields.Integer()
    owing = fields.Integer()


class ReceivablesSchema(Schema):
    mines = fields.List(fields.Nested(MineSalesSchema))
    owing = fields.List(fields.Nested(ShipperOwingSchema))
    total_owing = fields.Integer()
    shippers = fields.List(fields.Nested(ShipperOwingSchema))

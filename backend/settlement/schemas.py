"""Reply and argument schemas of settlement: the breakdown a party sees and a contract's terms."""

from marshmallow import Schema, fields, validate

from backend.common.schemas import model_schema
from backend.settlement.models import SettlementTerms
from backend.settlement.service import FIGURES

_Int = fields.Integer


class TermsArgs(Schema):
    shipper_id = fields.String(load_default=None, validate=validate.Length(min=1, max=128))
    allowance_kind = fields.String(required=True, validate=validate.OneOf(("kg", "permille")))
    allowance_value = _Int(required=True, validate=validate.Range(min=0, max=5000))
    prepaid_permille = _Int(required=True, validate=validate.Range(min=0, max=1000))
    prepaid_form = fields.String(required=True, validate=validate.OneOf(("cash", "fuel_card")))
    fee_permille = _Int(required=True, validate=validate.Range(min=0, max=200))
    rounding_fen = _Int(required=True, validate=validate.OneOf((1, 100, 1000)))
    detention_free_minutes = _Int(required=True, validate=validate.Range(min=0, max=7 * 24 * 60))
    detention_fen_per_hour = _Int(required=True, validate=validate.Range(min=0, max=10_000_000))


class DisputeResolveArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))  # kept in the history
    received_kg = _Int(load_default=None, validate=validate.Range(min=0, max=100_000))  # the agreed weight


class AdjustmentArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))  # shown to the payee
    fen = fields.Integer(required=True, strict=True)  # + a bonus, − a deduction; checked in the service


TermsSchema = model_schema(SettlementTerms, "SettlementTerms")


class AppliedTerms(Schema):
    source = fields.String()  # "default", "mine:<id>" or "shipper:<org>@<mine>"
    allowance_kind = fields.String()
    allowance_value = _Int()
    prepaid_permille = _Int()
    prepaid_form = fields.String()
    fee_permille = _Int()
    rounding_fen = _Int()
    detention_free_minutes = _Int()
    detention_fen_per_hour = _Int()


class Weights(Schema):
    net_kg = _Int(allow_none=True)
    received_kg = _Int(allow_none=True)
    ordered_kg = _Int(allow_none=True)
    freight_basis = fields.String()


class Prices(Schema):
    coal_fen_per_t = _Int(allow_none=True)
    freight_fen_per_t = _Int(allow_none=True)


class Detention(Schema):
    checked_in_at = _Int(allow_none=True)
    slot_start_ms = _Int(allow_none=True)
    slot_end_ms = _Int(allow_none=True)
    entered_at = _Int(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    waited_minutes = _Int(allow_none=True)
    free_minutes = _Int()
    fen_per_hour = _Int()
    fen = _Int()


Figures = Schema.from_dict({name: _Int() for name in FIGURES}, name="SettlementFigures")


class LedgerLine(Schema):
    part = fields.String()
    from_ = fields.String(data_key="from", attribute="from")  # the service's dict key (a keyword in Python)
    to = fields.String()
    fen = _Int()
    trigger = fields.String()
    note = fields.String(allow_none=True)  # an adjustment's reason


class AppliedAdjustment(Schema):
    adjustment_id = fields.String()
    reason = fields.String()
    fen = _Int()  # as agreed
    applied_fen = _Int()  # as it moves: a deduction takes at most what the payee earned on the load
    by = fields.String()
    by_role = fields.String()
    at = _Int()


class BreakdownSchema(Schema):
    waybill_id = fields.String()
    state = fields.String()
    status = fields.String()  # not_weighed | in_progress | disputed | confirmed | settled
    payee = fields.String()  # carrier | driver
    retail = fields.Boolean()
    weights = fields.Nested(Weights)
    prices = fields.Nested(Prices)
    terms = fields.Nested(AppliedTerms)
    detention = fields.Nested(Detention)
    figures = fields.Nested(Figures)
    lines = fields.List(fields.Nested(LedgerLine))
    adjustments = fields.List(fields.Nested(AppliedAdjustment))
    adjustable = fields.Boolean()  # the sales side may still add an adjustment

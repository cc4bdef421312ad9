"""Trust request and reply shapes."""

from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from backend.common.schemas import PageArgs, model_schema, page_schema
from backend.trust import complaints, weights
from backend.trust.models import Appeal, Rating

GRADE_LETTERS = tuple(g for g, _ in weights.GRADES)


class RateArgs(Schema):
    waybill_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    target = fields.String(required=True, validate=validate.OneOf(("driver", "carrier", "shipper", "buyer", "mine")))
    stars = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    tags = fields.List(
        fields.String(validate=validate.OneOf(weights.RATING_TAGS)), load_default=list, validate=validate.Length(max=6)
    )


class WaybillArgs(Schema):
    waybill_id = fields.String(required=True, validate=validate.Length(min=1, max=128))


# The rater's own view of its rating: the rated party never gets this record (it names the rater).
RatingSchema = model_schema(Rating, "TrustRating", rename={"rating_id": "id"}, exclude=("rater_id",))
RatingList = Schema.from_dict({"items": fields.List(fields.Nested(RatingSchema))}, name="TrustRatingList")


class GradeSchema(Schema):
    """What another party sees: grade, score, loads and the ratings added up."""

    party_id = fields.String()
    role = fields.String()
    score = fields.Integer()
    grade = fields.String(allow_none=True)
    loads = fields.Integer()
    ratings = fields.Dict()
    suspended = fields.Boolean()


class StandingSchema(GradeSchema):
    """The party's own (or dispatch's) view: the explanation and the effects too."""

    base = fields.Integer()
    window_days = fields.Integer()
    graded_after_loads = fields.Integer()
    hard_gates = fields.List(fields.String())
    breakdown = fields.List(fields.Dict())
    suspended_reason = fields.String(allow_none=True)
    min_driver_grade = fields.String(allow_none=True)
    snapshot = fields.Dict(allow_none=True)
    deposit = fields.Dict(allow_none=True)


GradeList = Schema.from_dict({"items": fields.List(fields.Nested(GradeSchema))}, name="TrustGradeList")


class GradesArgs(Schema):
    party_ids = DelimitedList(
        fields.String(validate=validate.Length(min=1, max=128)), required=True, validate=validate.Length(min=1, max=50)
    )
    role = fields.String(load_default="carrier", validate=validate.OneOf(("driver", "carrier", "shipper", "buyer")))


class EventSchema(Schema):
    event_id = fields.String()
    signal = fields.String()
    count = fields.Integer()
    points_each = fields.Float()
    day = fields.String()
    at = fields.Integer(allow_none=True)
    waybill_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    status = fields.String()
    appeal_id = fields.String(allow_none=True)


EventPage = page_schema(EventSchema, "TrustEventPage")


class PolicyArgs(Schema):
    min_driver_grade = fields.String(required=True, allow_none=True, validate=validate.OneOf(GRADE_LETTERS))


class SuspensionArgs(Schema):
    suspended = fields.Boolean(required=True)
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class UploadArgs(Schema):
    kind = fields.String(load_default="photo", validate=validate.Equal("photo"))
    content_type = fields.String(required=True, validate=validate.Length(max=64))
    size_bytes = fields.Integer(required=True, validate=validate.Range(min=1))


class UploadSchema(Schema):
    method = fields.String()
    url = fields.String()
    fields_ = fields.Dict(data_key="fields")
    headers = fields.Dict()
    expires_at = fields.Integer()
    key = fields.String()


class ComplaintArgs(Schema):
    category = fields.String(required=True, validate=validate.OneOf(complaints.CATEGORIES))
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    waybill_id = fields.String(load_default=None, validate=validate.Length(min=1, max=128))
    about = fields.String(load_default=None, validate=validate.OneOf(complaints.ABOUT))
    about_id = fields.String(load_default=None, validate=validate.Length(min=1, max=128))
    photo_keys = fields.List(
        fields.String(validate=validate.Length(max=300)), load_default=list, validate=validate.Length(max=6)
    )


class ComplaintSchema(Schema):
    id = fields.String()
    category = fields.String()
    text = fields.String()
    waybill_id = fields.String(allow_none=True)
    about_id = fields.String(allow_none=True)
    about_role = fields.String(allow_none=True)
    author_role = fields.String()
    status = fields.String()
    created_at = fields.Integer()
    due_at = fields.Integer()
    due_in_ms = fields.Integer(allow_none=True)
    overdue = fields.Boolean()
    outcome = fields.String(allow_none=True)
    at_fault_id = fields.String(allow_none=True)
    response = fields.String(allow_none=True)
    answered_at = fields.Integer(allow_none=True)
    photos = fields.List(fields.String())


ComplaintPage = page_schema(ComplaintSchema, "TrustComplaintPage")


class ComplaintListArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "answered")))


class AnswerArgs(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(complaints.OUTCOMES))
    response = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    at_fault_id = fields.String(load_default=None, validate=validate.Length(min=1, max=128))


class AppealArgs(Schema):
    event_id = fields.String(required=True, validate=validate.Length(min=1, max=300))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


AppealSchema = model_schema(Appeal, "TrustAppeal", rename={"appeal_id": "id"}, exclude=("user_id",))
AppealPage = page_schema(AppealSchema, "TrustAppealPage")


class AppealListArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(("pending", "upheld", "rejected")))


class DecideArgs(Schema):
    upheld = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


WeightsSchema = Schema.from_dict(
    {
        "base": fields.Integer(),
        "window_days": fields.Integer(),
        "graded_after_loads": fields.Integer(),
        "grades": fields.List(fields.Dict()),
        "signals": fields.List(fields.Dict()),
    },
    name="TrustWeights",
)

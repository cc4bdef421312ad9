from marshmallow import Schema, fields, validate

from backend.auth.models import User
from backend.common.schemas import model_schema


class LoginArgs(Schema):
    phone = fields.String(required=True, validate=validate.Length(max=32))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


class OtpArgs(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(("register", "reset")))
    phone = fields.String(required=True, validate=validate.Length(max=32))


class RegisterArgs(Schema):
    phone = fields.String(required=True, validate=validate.Length(max=32))
    otp_code = fields.String(required=True, data_key="otp", validate=validate.Length(min=1, max=12))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = fields.String(load_default="buyer")  # buyer | driver (owner-driver, or joining a carrier) | carrier staff
    invite_code = fields.String(load_default=None, validate=validate.Length(min=1, max=160))  # the carrier joined


class JoinDecisionArgs(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("approve", "refuse")))


class InviteSchema(Schema):
    code = fields.String()


class JoinRequestsSchema(Schema):
    items = fields.List(fields.Nested(lambda: UserSchema))


class ResetArgs(Schema):
    phone = fields.String(required=True, validate=validate.Length(max=32))
    otp_code = fields.String(required=True, data_key="otp", validate=validate.Length(min=1, max=12))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


# The record as other screens may show it: never the password hash; counters and times stay internal.
UserSchema = model_schema(
    User,
    "User",
    rename={"user_id": "id"},
    exclude=("password_hash", "no_shows", "created_at", "updated_at", "tokens_after"),
)


class TokensSchema(Schema):
    """A sign-in or refresh: the short access token (kept in memory); the refresh token is an HttpOnly cookie."""

    access_token = fields.String()
    user = fields.Nested(UserSchema)

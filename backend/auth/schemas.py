from marshmallow import Schema, fields, validate

from backend.auth.models import User
from backend.common.schemas import model_schema


class LoginArgs(Schema):
    phone = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class RegisterArgs(Schema):
    phone = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = fields.String(load_default="buyer")


class LogoutArgs(Schema):
    refresh_token = fields.String(load_default=None)


# The record as other screens may show it: never the password hash; counters and times stay internal.
UserSchema = model_schema(
    User, "User", rename={"user_id": "id"}, exclude=("password_hash", "no_shows", "created_at", "updated_at")
)


class TokensSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    user = fields.Nested(UserSchema)

from marshmallow import Schema, fields, validate


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


class UserSchema(Schema):
    id = fields.String()
    phone = fields.String()
    name = fields.String()
    role = fields.String()
    org_id = fields.String(allow_none=True)
    mine_id = fields.String(allow_none=True)
    license_no = fields.String(allow_none=True)
    status = fields.String()


class TokensSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    user = fields.Nested(UserSchema)

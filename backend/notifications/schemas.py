"""Request and reply shapes of the Web Push and inbox APIs."""

from marshmallow import Schema, fields, validate

from backend.common.schemas import model_schema, page_schema
from backend.notifications.models import InboxItem


class SubscriptionArgs(Schema):
    endpoint = fields.String(required=True)
    keys = fields.Dict(required=True)
    expirationTime = fields.Raw(load_default=None)


class PushKeySchema(Schema):
    public_key = fields.String(allow_none=True)


class PreferencesArgs(Schema):
    opt_outs = fields.List(fields.String(), load_default=list, validate=validate.Length(max=20))
    quiet_start = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=23))
    quiet_end = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=23))
    lang = fields.String(load_default="zh", validate=validate.OneOf(("zh", "en")))


class PreferencesSchema(Schema):
    opt_outs = fields.List(fields.String())
    quiet_start = fields.Integer(allow_none=True)
    quiet_end = fields.Integer(allow_none=True)
    lang = fields.String()
    optional_kinds = fields.List(fields.String())
    critical_kinds = fields.List(fields.String())


class UnreadSchema(Schema):
    unread = fields.Integer()


MessageSchema = model_schema(InboxItem, "InboxMessage", rename={"sk": "id"}, exclude=("user_id", "unread"))
MessagePage = page_schema(MessageSchema, "InboxPage")

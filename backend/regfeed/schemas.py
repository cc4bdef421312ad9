from marshmallow import Schema, fields, validate

from backend.common.schemas import PageArgs, model_schema, page_schema
from backend.regfeed.models import PositionConsent, RegDocument
from backend.regfeed.service import STATES

# The compliance screen shows state, reasons and links; the body stays on the server (personal data).
DocumentSchema = model_schema(RegDocument, "RegDocument", rename={"doc_id": "id"}, exclude=("body",))
DocumentPage = page_schema(DocumentSchema, "RegDocumentPage")
ConsentSchema = model_schema(PositionConsent, "PositionConsent")


class QueueArgs(PageArgs):
    state = fields.String(load_default="blocked", validate=validate.OneOf(STATES))
    mine_id = fields.String(load_default=None)


class Summary(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class ConsentArgs(Schema):
    granted = fields.Boolean(required=True)

"""Unloading receipts: presigned uploads, the receipt, the buyer's code and decision."""

from marshmallow import Schema, fields, validate

from backend.common.access import current_principal, public, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.idempotency import exempt
from backend.common.schemas import model_schema
from backend.receipts import local_files, service
from backend.receipts.models import Receipt
from backend.waybills.routes import PARTIES

blp = Blueprint("receipts", __name__, url_prefix="/api/receipts", description="Unloading receipts (卸车回单)")


class UploadArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("photo", "signature")))
    content_type = fields.String(required=True)
    size_bytes = fields.Integer(required=True)


class UploadSchema(Schema):
    key = fields.String()
    method = fields.String()
    url = fields.String()
    fields_ = fields.Dict(data_key="fields")
    headers = fields.Dict()
    expires_at = fields.Integer()


class ReceiptArgs(Schema):
    received_kg = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    photo_keys = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=6))
    signature_key = fields.String(load_default=None)
    receipt_code = fields.String(load_default=None, validate=validate.Length(max=12))
    signer_name = fields.String(load_default=None, validate=validate.Length(max=40))
    point = fields.List(fields.Float(), validate=validate.Length(equal=2), load_default=None)


# The record as it is, except its storage keys: parties get short-lived links instead (service.with_links).
ReceiptSchema = model_schema(
    Receipt,
    "Receipt",
    exclude=("driver_id", "photo_keys", "signature_key"),
    extra={
        "flags": fields.Function(lambda r: list(r.flags or [])),
        "photos": fields.List(fields.String()),
        "signature": fields.String(allow_none=True),
    },
)


class DisputeArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


@blp.route("/<waybill_id>/uploads", methods=["POST"])
@roles_required("driver")
@blp.arguments(UploadArgs)
@blp.response(201, UploadSchema)
def post_upload(args, waybill_id):
    """A presigned upload for a receipt photo or the recipient's signature."""
    upload = service.create_upload(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)
    upload["fields_"] = upload.pop("fields")
    return upload


@blp.route("/files/<path:key>", methods=["PUT"])
@public
@exempt
@blp.response(200, Schema.from_dict({"key": fields.String(), "size_bytes": fields.Integer()}, name="StoredFile"))
def put_file(key):
    """The local stand-in for S3: a signed, expiring PUT that checks content type and size."""
    return local_files.put_file(key=key, now_ms=now_ms())


@blp.route("/files/<path:key>", methods=["GET"])
@public
def get_file(key):
    """A receipt file through a signed, expiring link (local stand-in)."""
    return local_files.get_file(key=key, now_ms=now_ms())


@blp.route("/<waybill_id>/code", methods=["GET"])
@roles_required("buyer")
@blp.response(200, Schema.from_dict({"waybill_id": fields.String(), "code": fields.String()}, name="ReceiptCode"))
def get_code(waybill_id):
    """The receipt code the buyer gives the driver instead of signing."""
    return service.code_for_buyer(principal=current_principal(), waybill_id=waybill_id)


@blp.route("/<waybill_id>", methods=["POST"])
@roles_required("driver")
@blp.arguments(ReceiptArgs)
@blp.response(201, ReceiptSchema)
def post_receipt(args, waybill_id):
    """Unload: photos, signature or receipt code, received weight, position."""
    return service.take_receipt(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms(), **args)


@blp.route("/<waybill_id>", methods=["GET"])
@roles_required(*PARTIES)
@blp.response(200, ReceiptSchema)
def get_receipt(waybill_id):
    """The receipt with links to its photos."""
    return service.get_receipt(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms())


@blp.route("/<waybill_id>/confirm", methods=["POST"])
@roles_required("buyer")
@blp.response(200, ReceiptSchema)
def post_confirm(waybill_id):
    """The buyer confirms the delivery."""
    return service.decide(principal=current_principal(), waybill_id=waybill_id, accept=True, now_ms=now_ms())


@blp.route("/<waybill_id>/dispute", methods=["POST"])
@roles_required("buyer")
@blp.arguments(DisputeArgs)
@blp.response(200, ReceiptSchema)
def post_dispute(args, waybill_id):
    """The buyer disputes the delivery with a reason."""
    return service.decide(
        principal=current_principal(), waybill_id=waybill_id, accept=False, now_ms=now_ms(), reason=args["reason"]
    )

"""Paying for a retail order: start a payment, read it, and the providers' asynchronous notifications."""

from flask import Response, request

from backend.common import idempotency
from backend.common.access import current_principal, public, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.payments import schemas, service

blp = Blueprint("payments", __name__, url_prefix="/api/payments", description="Paying for a truckload (先款后货)")


@blp.route("/<waybill_id>", methods=["POST"])
@roles_required("buyer")
@blp.response(201, schemas.PaymentSchema)
def start(waybill_id):
    """Hand the order's (waybill's) payment to the provider; `pay_url` is the page the buyer pays on."""
    return service.start(principal=current_principal(), waybill_id=waybill_id, now_ms=now_ms())


@blp.route("/<waybill_id>", methods=["GET"])
@roles_required("buyer", "dispatcher", "admin")
@blp.response(200, schemas.PaymentSchema)
def get(waybill_id):
    """The order's payment: awaiting_payment, paying, paid, refunding, refunded, expired or cancelled."""
    return service.get_visible(current_principal(), waybill_id)


@blp.route("/notify/<provider_name>", methods=["POST"])
@public
@idempotency.exempt  # the provider signs each notification; duplicates are expected and change nothing
@blp.response(200, schemas.NotifyReply)
def notify(provider_name):
    """The provider's signed asynchronous notification (sandbox, wechatpay or alipay)."""
    service.notify(
        provider_name=provider_name,
        headers=request.headers,
        body=request.get_data(as_text=True),
        now_ms=now_ms(),
    )
    if provider_name == "alipay":
        return Response("success", mimetype="text/plain")  # the reply Alipay's docs ask for
    return {"code": "SUCCESS", "message": "OK"}

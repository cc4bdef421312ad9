"""The Aliyun adapter builds the request the SDK documents, checked at the SDK's transport seam (no network).

The seam is darabonba's `DaraCore.do_action(request, runtime)`, the one call through which the OpenAPI client
sends every signed request; replacing it captures exactly what would go to dysmsapi.aliyuncs.com. The
signature is checked with an independent implementation of Aliyun's documented V3 algorithm
(ACS3-HMAC-SHA256: a canonical request of method, path, sorted query, signed headers and payload hash).
"""

import hashlib
import hmac
import io
import json
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote

import pytest

from backend.notifications import sms

SECRET = "test-access-secret"


def _percent(text):
    return quote(str(text), safe="-_.~")


def acs3_signature(request, signed, secret):
    """Aliyun's V3 request signature over the `signed` headers, written from the documentation (not the SDK)."""
    headers = {k.lower(): str(v).strip() for k, v in request.headers.items()}
    query = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(request.query.items()))
    payload = hashlib.sha256(request.body or b"").hexdigest()
    canonical = "\n".join(
        ["POST", request.pathname, query, "".join(f"{h}:{headers[h]}\n" for h in signed), ";".join(signed), payload]
    )
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    return hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


@pytest.fixture()
def transport(monkeypatch):
    """Replace the SDK's transport; `.sent` holds the requests, `.reply` the JSON the provider answers."""
    from alibabacloud_tea_openapi import client as openapi_client

    state = SimpleNamespace(sent=[], reply={"Code": "OK", "Message": "OK", "BizId": "biz-1", "RequestId": "r"})

    def do_action(request, runtime=None):
        state.sent.append(request)
        body = json.dumps(state.reply).encode()
        return SimpleNamespace(status_code=200, status_message="OK", headers={}, body=io.BytesIO(body))

    monkeypatch.setattr(openapi_client.DaraCore, "do_action", staticmethod(do_action))
    return state


def adapter():
    return sms.AliyunSms(
        endpoint=sms.ALIYUN_ENDPOINT,
        protocol="https",
        access_key_id="test-key-id",
        access_key_secret=SECRET,
        sign_name="煤运通",
    )


def _params(request):
    params = dict(request.query)
    body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
    params.update(dict(parse_qsl(body)))
    params.setdefault("Action", request.headers.get("x-acs-action"))
    params.setdefault("Version", request.headers.get("x-acs-version"))
    return params


def test_send_sms_is_the_documented_signed_rpc_call(transport):
    biz_id = adapter().send("13800000001", "SMS_CALLED_ZH", {"time": "14:05"})

    assert biz_id == "biz-1"
    [request] = transport.sent
    params = _params(request)
    assert request.method == "POST" and request.protocol.lower() == "https"
    assert request.headers["host"] == "dysmsapi.aliyuncs.com"
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25"
    assert params["PhoneNumbers"] == "13800000001" and params["SignName"] == "煤运通"
    assert params["TemplateCode"] == "SMS_CALLED_ZH" and json.loads(params["TemplateParam"]) == {"time": "14:05"}
    authorization = request.headers["Authorization"]
    assert authorization.startswith("ACS3-HMAC-SHA256 Credential=test-key-id,")
    fields = dict(part.split("=", 1) for part in authorization.split(" ", 1)[1].split(","))
    signed = fields["SignedHeaders"].split(";")
    must = {"host"} | {h.lower() for h in request.headers if h.lower().startswith("x-acs-")}  # the documented minimum
    assert must <= set(signed) and signed == sorted(signed)
    assert fields["Signature"] == acs3_signature(request, signed, SECRET)


def test_a_refusal_is_sms_failed_so_the_caller_retries(transport):
    transport.reply = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "too many", "RequestId": "r"}
    with pytest.raises(sms.SmsFailed):
        adapter().send("13800000001", "SMS_HOLD_ZH", {"waybill": "x"})


def test_query_send_details_asks_for_one_message_and_reads_its_status(transport):
    transport.reply = {
        "Code": "OK",
        "Message": "OK",
        "RequestId": "r",
        "TotalCount": 1,
        "SmsSendDetailDTOs": {"SmsSendDetailDTO": [{"SendStatus": 2, "ErrCode": "MOBILE_NOT_ON_SERVICE"}]},
    }
    report = adapter().query_details("13800000001", "biz-1", "20261203")

    params = _params(transport.sent[0])
    assert params["Action"] == "QuerySendDetails" and params["BizId"] == "biz-1"
    assert params["PhoneNumber"] == "13800000001" and params["SendDate"] == "20261203"
    assert report == {"status": "undelivered", "err_code": "MOBILE_NOT_ON_SERVICE", "receive_date": None}

"""SMS, the channel that reaches phones in mainland China: a provider interface and the Aliyun SMS adapter.

`send(phone, template, params)` names a template by its meaning ("otp_register"); SMS_TEMPLATES maps it to the
Aliyun template code, SMS_SIGN_NAME is the approved signature. SMS_PROVIDER chooses the provider:
- `aliyun`: the real SDK (alibabacloud-dysmsapi20170525) over HTTPS to SMS_ENDPOINT (empty: Aliyun's) with
  ALIYUN_ACCESS_KEY_ID / ALIYUN_ACCESS_KEY_SECRET;
- `sink`: the same SDK call over plain HTTP to the local sink (backend/localstore/sms_sink.py) at SMS_ENDPOINT,
  so the local run and the tests exercise exactly the request Aliyun would get.
"""

import json
import logging

from backend.common.errors import ApiError
from backend.config import setting

log = logging.getLogger("coalhaul.sms")
ALIYUN_ENDPOINT = "dysmsapi.aliyuncs.com"
# Local-only credentials for the sink (it checks nothing); real keys never leave the settings table.
SINK_KEY = ("local", "local-sink-secret")


class SmsFailed(ApiError):
    """The provider refused or could not be reached: the caller may retry later."""

    def __init__(self, message):
        super().__init__("sms_unavailable", message, status=503, headers={"Retry-After": "30"})


class AliyunSms:
    """Aliyun SMS SendSms through the official SDK (imported on first use: it is a heavy import)."""

    def __init__(self, *, endpoint, protocol, access_key_id, access_key_secret, sign_name):
        self.endpoint, self.protocol, self.sign_name = endpoint, protocol, sign_name
        self.keys = (access_key_id, access_key_secret)
        self._client = None

    def client(self):
        if self._client is None:
            from alibabacloud_dysmsapi20170525.client import Client
            from alibabacloud_tea_openapi import models as openapi

            config = openapi.Config(
                access_key_id=self.keys[0],
                access_key_secret=self.keys[1],
                endpoint=self.endpoint,
                protocol=self.protocol,
                region_id="cn-hangzhou",
            )
            self._client = Client(config)
        return self._client

    def send(self, phone, template_code, params):
        """One SendSms call; the provider's BizId, or SmsFailed."""
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_util import models as util

        request = models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=self.sign_name,
            template_code=template_code,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        try:
            reply = self.client().send_sms_with_options(
                request, util.RuntimeOptions(connect_timeout=3000, read_timeout=5000)
            )
        except Exception as error:  # the SDK raises its own TeaException and any network error
            log.warning("SMS to %s*** failed: %s", phone[:3], error)
            raise SmsFailed("the SMS service is not reachable; try again shortly") from None
        if reply.body.code != "OK":
            log.warning("SMS to %s*** refused: %s %s", phone[:3], reply.body.code, reply.body.message)
            raise SmsFailed("the SMS service refused the message; try again later")
        return reply.body.biz_id

    def query_details(self, phone, biz_id, send_date):
        """The delivery report of one sent message (QuerySendDetails): {"status", "err_code", "receive_date"}."""
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_util import models as util

        request = models.QuerySendDetailsRequest(
            phone_number=phone, biz_id=biz_id, send_date=send_date, page_size=10, current_page=1
        )
        try:
            reply = self.client().query_send_details_with_options(
                request, util.RuntimeOptions(connect_timeout=3000, read_timeout=5000)
            )
        except Exception as error:  # the SDK raises its own TeaException and any network error
            raise SmsFailed(f"delivery report not available: {error}") from None
        if reply.body.code != "OK":
            raise SmsFailed(f"delivery report refused: {reply.body.code}")
        found = reply.body.sms_send_detail_dtos.sms_send_detail_dto if reply.body.sms_send_detail_dtos else []
        if not found:
            return {"status": "pending", "err_code": None, "receive_date": None}
        detail = found[0]
        status = REPORT_STATUS.get(int(detail.send_status or 1), "pending")
        return {"status": status, "err_code": detail.err_code, "receive_date": detail.receive_date}


# QuerySendDetails' SendStatus: 1 waiting for the handset's report, 2 failed, 3 delivered.
REPORT_STATUS = {1: "pending", 2: "undelivered", 3: "delivered"}
_providers = {}


def provider():
    """The configured provider, built once per settings (endpoint, keys) and reused across requests."""
    kind, endpoint = setting("SMS_PROVIDER"), setting("SMS_ENDPOINT")
    key = (kind, endpoint, setting("ALIYUN_ACCESS_KEY_ID"), setting("SMS_SIGN_NAME"))
    if key not in _providers:
        if kind == "sink":
            if not endpoint:
                raise SmsFailed("SMS_ENDPOINT must name the local sink (host:port)")
            keys, protocol = SINK_KEY, "http"
        elif kind == "aliyun":
            keys, protocol = (setting("ALIYUN_ACCESS_KEY_ID"), setting("ALIYUN_ACCESS_KEY_SECRET")), "https"
            if not all(keys):
                raise SmsFailed("ALIYUN_ACCESS_KEY_ID and ALIYUN_ACCESS_KEY_SECRET must be set for SMS")
        else:
            raise SmsFailed(f"SMS_PROVIDER={kind!r} is not one of sink, aliyun")
        _providers[key] = AliyunSms(
            endpoint=endpoint or ALIYUN_ENDPOINT,
            protocol=protocol,
            access_key_id=keys[0],
            access_key_secret=keys[1],
            sign_name=setting("SMS_SIGN_NAME"),
        )
    return _providers[key]


def send(phone, template, params):
    """Send a templated SMS to one mainland mobile number; SmsFailed (503) when the provider cannot."""
    template_code = (setting("SMS_TEMPLATES") or {}).get(template)
    if not template_code:
        raise SmsFailed(f"no SMS template configured for {template!r} (SMS_TEMPLATES)")
    return provider().send(phone, template_code, params)


def delivery_report(phone, biz_id, sent_at_ms):
    """The provider's report for a message sent at sent_at_ms (its day, Asia/Shanghai, is part of the query)."""
    from datetime import datetime

    from backend.common.clock import SHANGHAI

    send_date = datetime.fromtimestamp(sent_at_ms / 1000, tz=SHANGHAI).strftime("%Y%m%d")
    return provider().query_details(phone, biz_id, send_date)

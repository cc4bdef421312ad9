"""Every setting in one table, read from the environment once and checked before the app starts.

create_app puts the parsed table into app.config (tests override values there); `setting(name)` reads
app.config inside an app and the same table, parsed once from the environment, outside one (jobs'
helpers, scripts, benches). No other module under backend/ reads the environment, except the local
runner's set-up (backend/devserver.py, backend/localstore/).
"""

import functools
import json
import os
from dataclasses import dataclass

from flask import current_app, has_app_context

MIN_SECRET_CHARS = 16  # HMAC keys: shorter ones are guessable; `openssl rand -hex 32` gives 64


@dataclass(frozen=True)
class Setting:
    name: str
    type: type  # str, int, float, bool or dict (JSON)
    default: object
    meaning: str
    secret: bool = False
    required: bool = False
    also: str = ""  # a second variable read when the first is unset (AWS_DEFAULT_REGION)


def _s(name, type_, default, meaning, **kw):
    return Setting(name, type_, default, meaning, **kw)


SETTINGS = (
    # Platform
    _s("DYNAMODB_HOST", str, None, "DynamoDB endpoint URL (DynamoDB Local); unset means the real AWS endpoint"),
    _s("AWS_REGION", str, "cn-northwest-1", "AWS region of the tables", also="AWS_DEFAULT_REGION"),
    _s("TABLE_PREFIX", str, "coalhaul-dev-", "prefix of every table name (one set of tables per stage)"),
    _s("LOG_LEVEL", str, "INFO", "logging level of the coalhaul loggers"),
    _s("DYNAMODB_MAX_ATTEMPTS", int, 5, "tries per DynamoDB call (throttles back off from 1 s, 5xx from 25 ms)"),
    _s("DYNAMODB_RETRY_MODE", str, "standard", "botocore retry mode: standard (backoff, jitter) or adaptive"),
    _s("FAULT_RATE", float, 0.0, "share of DynamoDB calls failed on purpose (drills; DynamoDB Local or tests only)"),
    _s(
        "FAULT_KINDS",
        str,
        "throttle,error,connection",
        "injected faults: throttle(ing), error, unavailable, connection, lost",
    ),
    _s("PWA_DIR", str, "", "directory served as the PWA (empty: pwa/ in the repo or package)"),
    _s("VENDOR_DIR", str, "", "node_modules the /vendor/ packages come from (empty: the repo's)"),
    _s(
        "ROUTES_AT_START",
        str,
        "/api/auth,/api/hall,/api/waybills",
        "URL prefixes whose routes load while the app starts (a phone's first calls); the others load on their"
        " first request (backend/common/lazy_routes.py); 'all' loads every one",
    ),
    # Secrets
    _s(
        "JWT_SECRET_KEY",
        str,
        "",
        "signs access and refresh tokens, receipt codes and local upload URLs",
        secret=True,
        required=True,
    ),
    _s(
        "DEVICE_MASTER_KEY",
        str,
        "",
        "devices' HMAC keys are derived from it (no device secret is stored)",
        secret=True,
        required=True,
    ),
    _s("GATE_PASS_KEY", str, "", "per-mine gate pass (QR) keys are derived from it", secret=True, required=True),
    _s(
        "SECRET_SEAL_KEY",
        str,
        "",
        "seals the secrets we must keep to use later (webhook signing secrets) with AES-256-GCM",
        secret=True,
        required=True,
    ),
    _s(
        "SECRET_SEAL_KEY_PREVIOUS",
        str,
        "",
        "the seal key before a change: still opens what it sealed until `python -m backend.webhooks.reseal` ran",
        secret=True,
    ),
    _s("VAPID_PRIVATE_KEY", str, "", "Web Push VAPID key (base64url or PEM); empty: nothing is pushed", secret=True),
    # Sign-in, devices, writes
    _s(
        "JWT_ACCESS_MINUTES",
        float,
        10,
        "access token lifetime (short: not checked against the blocklist; tests use 0.2)",
    ),
    _s("JWT_REFRESH_DAYS", int, 14, "refresh token lifetime"),
    _s("DEVICE_MAX_SKEW_MS", int, 5 * 60 * 1000, "how far a device's signed timestamp may be from ours"),
    _s("LOGIN_FREE_FAILURES", int, 3, "wrong passwords per phone+address before each try waits (doubling)"),
    _s("LOGIN_MAX_DELAY_SECONDS", int, 900, "the longest wait the sign-in backoff imposes"),
    _s("LOGIN_LIMIT_PER_ADDRESS", int, 100, "failed sign-ins per client address per window (failures only: NAT)"),
    _s("LOGIN_WINDOW_SECONDS", int, 900, "the per-address failure window"),
    _s("PASSWORD_MIN_LENGTH", int, 8, "shortest password accepted (and not on backend/auth/common_passwords.txt)"),
    _s("OTP_TTL_SECONDS", int, 300, "an SMS one-time code is valid this long"),
    _s("OTP_MAX_ATTEMPTS", int, 5, "wrong entries that burn an SMS one-time code"),
    _s("OTP_RESEND_SECONDS", int, 60, "one code per phone per this many seconds"),
    _s("OTP_SENDS_PER_PHONE", int, 5, "codes sent to one phone per hour"),
    _s("OTP_SENDS_PER_ADDRESS", int, 20, "codes requested from one client address per hour"),
    _s("OTP_REPLY_FLOOR_MS", int, 800, "/otp answers no sooner: a sent code and no code take the same time"),
    # Trust (backend/trust/): the deposit on grab for low grades is configured here but not charged yet
    _s("TRUST_DEPOSIT_FEN", int, 50_000, "deposit (保证金) a driver of a listed grade would put up on a grab, fen"),
    _s("TRUST_DEPOSIT_GRADES", str, "D", "comma-separated grades that put up the deposit on a grab (empty: none)"),
    # Payments (backend/payments/): a buyer's retail order is paid before it reaches the hall
    _s("RETAIL_PREPAY", bool, True, "a buyer's own retail order waits for payment before the hall (先款后货)"),
    _s("PAY_PROVIDER", str, "sandbox", "sandbox (the local pay sandbox at PAY_SANDBOX_URL), wechatpay or alipay"),
    _s(
        "PAY_SANDBOX_URL", str, "http://127.0.0.1:8003", "the local payment sandbox (backend/localstore/pay_sandbox.py)"
    ),
    _s("PAY_SANDBOX_KEY", str, "", "HMAC-SHA256 key shared with the local payment sandbox", secret=True),
    _s("PAY_NOTIFY_BASE_URL", str, "http://127.0.0.1:8000", "our public base URL the provider notifies and returns to"),
    _s("PAY_EXPIRE_MINUTES", int, 30, "an unpaid retail order is cancelled and its stock released after this"),
    _s("PAY_RECONCILE_AFTER_SECONDS", int, 60, "a payment still 'paying' this long is asked of the provider"),
    _s("PAY_NOTIFY_MAX_AGE_SECONDS", int, 300, "an older signed notification is a replay (refused, alerted)"),
    _s("WECHATPAY_MCHID", str, "", "WeChat Pay merchant id (PAY_PROVIDER=wechatpay)"),
    _s("WECHATPAY_APPID", str, "", "WeChat Pay app id bound to the merchant"),
    _s("WECHATPAY_SERIAL_NO", str, "", "serial number of the merchant API certificate"),
    _s("WECHATPAY_PRIVATE_KEY", str, "", "merchant API private key (PEM)", secret=True),
    _s("WECHATPAY_APIV3_KEY", str, "", "APIv3 key (32 characters) decrypting notifications", secret=True),
    _s("WECHATPAY_PLATFORM_CERT", str, "", "WeChat Pay platform certificate or public key (PEM)"),
    _s("WECHATPAY_PLATFORM_SERIAL", str, "", "serial of that platform certificate/public key"),
    _s("ALIPAY_APP_ID", str, "", "Alipay app id (PAY_PROVIDER=alipay)"),
    _s("ALIPAY_PRIVATE_KEY", str, "", "the app's RSA2 private key (PEM)", secret=True),
    _s("ALIPAY_PUBLIC_KEY", str, "", "Alipay's public key (PEM) verifying notifications"),
    _s("ALIPAY_GATEWAY", str, "https://openapi.alipay.com/gateway.do", "Alipay open API gateway"),
    # SMS (backend/notifications/sms.py)
    _s("SMS_PROVIDER", str, "sink", "sink (the local SendSms stand-in at SMS_ENDPOINT) or aliyun"),
    _s("SMS_ENDPOINT", str, "", "SendSms host[:port]: the local sink's, or empty for dysmsapi.aliyuncs.com"),
    _s("SMS_SIGN_NAME", str, "煤运通", "the approved SMS signature (签名)"),
    _s(
        "SMS_TEMPLATES",
        dict,
        {
            "otp_register": "SMS_OTP_REGISTER",
            "otp_reset": "SMS_OTP_RESET",
            "called_zh": "SMS_CALLED_ZH",
            "called_en": "SMS_CALLED_EN",
            "hold_zh": "SMS_HOLD_ZH",
            "hold_en": "SMS_HOLD_EN",
            "window_closed_zh": "SMS_WINDOW_CLOSED_ZH",
            "window_closed_en": "SMS_WINDOW_CLOSED_EN",
        },
        "template codes by meaning (JSON object): otp_* take `code`; <kind>_zh/_en the kind's params",
    ),
    _s("ALIYUN_ACCESS_KEY_ID", str, "", "Aliyun RAM access key id for SMS (SMS_PROVIDER=aliyun)", secret=True),
    _s("ALIYUN_ACCESS_KEY_SECRET", str, "", "Aliyun RAM access key secret for SMS", secret=True),
    # Notifications (backend/notifications/): inbox always, SMS for must-deliver kinds, Web Push best effort
    _s("NOTIFY_QUIET_START_HOUR", int, 22, "quiet hours start (Asia/Shanghai): SMS waits, except call-ins"),
    _s("NOTIFY_QUIET_END_HOUR", int, 7, "quiet hours end: deferred SMS go out then"),
    _s("SMS_RATE_LIMIT", int, 5, "SMS to one number per SMS_RATE_WINDOW_SECONDS (beyond: capped, inbox only)"),
    _s("SMS_RATE_WINDOW_SECONDS", int, 600, "the per-number rate window"),
    _s("SMS_DAILY_CAP", int, 20, "SMS to one number per day (Asia/Shanghai)"),
    _s("SMS_MAX_ATTEMPTS", int, 5, "provider failures before a notification SMS is given up and shown to dispatch"),
    _s("SMS_RETRY_BASE_SECONDS", int, 30, "first retry after a failed SMS; doubles each time"),
    _s("SMS_RECEIPT_AFTER_SECONDS", int, 60, "a sent SMS's delivery report is asked for after this"),
    _s("SIGNAL_LOST_MINUTES", int, 20, "a truck in transit with no fix (phone or terminal) this long is 'signal lost'"),
    # Webhooks (backend/webhooks/): shippers' and buyers' systems told of waybill events
    _s("WEBHOOK_RETRY_HOURS", int, 24, "a webhook delivery is retried with exponential backoff this long"),
    _s("WEBHOOK_RETRY_BASE_SECONDS", int, 30, "first webhook retry after this; doubles each time (capped at 1 h)"),
    _s("WEBHOOK_TIMEOUT_SECONDS", int, 5, "one webhook POST waits this long for the receiver"),
    _s("WEBHOOK_ROTATION_HOURS", int, 24, "after a secret rotation the old secret also signs for this long"),
    _s("WEBHOOK_ALLOW_HTTP_LOOPBACK", bool, False, "accept http:// webhook URLs on loopback (local run and tests)"),
    _s("IDEMPOTENCY_TTL_SECONDS", int, 86400, "how long an Idempotency-Key's reply is replayed"),
    _s(
        "REVOCATION_POLL_SECONDS",
        int,
        10,
        "a disabled account's access tokens stop within this many seconds (re-read of recent cut-offs; -1: off)",
    ),
    _s(
        "REFUSAL_MEMORY_MS",
        int,
        1000,
        "a full window or a taken load is refused from memory this long after a read showed it (0: off)",
    ),
    _s(
        "MINE_DIRECTORY_SECONDS",
        int,
        60,
        "the order hall reads mines from a per-process copy at most this old; a site edited elsewhere shows after"
        " it (0: read every time)",
    ),
    _s("REFRESH_REUSE_GRACE_SECONDS", int, 30, "the refresh token a rotation replaced still works this long (reloads)"),
    _s("IDEMPOTENCY_LEASE_SECONDS", int, 30, "after this an unfinished claim (a request that died) frees its key"),
    # The request edge (backend/common/edge.py): refused before parsing, so no input can cost a 5xx
    _s("MAX_REQUEST_BYTES", int, 12 * 1024 * 1024, "any request body (local receipt uploads are the largest)"),
    _s("MAX_JSON_BYTES", int, 256 * 1024, "a JSON request body"),
    _s("MAX_JSON_DEPTH", int, 32, "nesting of arrays/objects in a JSON body"),
    _s("STORE_RETRY_AFTER_SECONDS", int, 5, "Retry-After of the 503 sent while DynamoDB is unreachable or throttling"),
    # Web Push
    _s("VAPID_SUBJECT", str, "mailto:ops@coalhaul.example", "contact push services see in the VAPID claim"),
    _s("PUSH_ALLOW_HTTP_LOOPBACK", bool, False, "accept http:// push endpoints on loopback (tests only)"),
    # Receipts and risk
    _s("RECEIPTS_BUCKET", str, "", "S3 bucket for receipt photos and signatures (empty: a local directory)"),
    _s("RECEIPTS_DIR", str, "", "local receipt directory without a bucket (empty: .data/receipts)"),
    _s("ANALYTICS_BUCKET", str, "", "S3 bucket of the table exports and reports Athena reads (empty: local DuckDB)"),
    _s("ANALYTICS_DIR", str, "", "local exports and reports without a bucket (empty: .data/analytics)"),
    _s("ATHENA_WORKGROUP", str, "coalhaul-dev-reports", "Athena workgroup of the report queries (AWS only)"),
    _s("RECEIPT_LOSS_TOLERANCE_PCT", float, 0.2, "received weight may fall short of net by this % unflagged"),
    _s("RECEIPT_CODE_ATTEMPTS", int, 5, "receipt-code tries per waybill, ever (5 in 10^6: guessed with p=5e-6)"),
    _s("RECEIPT_CODE_ATTEMPTS_PER_DRIVER", int, 20, "receipt-code tries per driver per day, across waybills"),
    _s("FAKE_PLATE_MODEL_PATH", str, "", "ONNX fake-plate model (empty: the committed ml_models/fake_plate)"),
    # Distances and orders
    _s("ROAD_FACTOR", float, 1.3, "road distance ≈ great-circle distance × this (quotes, ETAs)"),
    _s("ORDER_MIN_TONNAGE_KG", int, 10_000, "smallest order"),
    _s("ORDER_MAX_TONNAGE_KG", int, 49_000, "largest load (49 t: the legal gross of a 6-axle truck)"),
    _s("ORDER_FREIGHT_FEN_PER_TKM", int, 50, "freight rate, fen per tonne-kilometre"),
    _s("ORDER_MAX_BULK_TRUCKS", int, 99, "trucks per bulk order (capped at 99: one transaction holds 100 items)"),
    _s(
        "DESTINATION_FENCE_RADIUS_M",
        int,
        300,
        "arrival fence radius around a delivery point without a polygon (a yard, a plant gate; orders set 50-3000)",
    ),
    # Appointments
    _s("SLOT_WINDOW_MINUTES", int, 60, "length of an appointment window"),
    _s("SLOT_DAY_START_HOUR", int, 6, "first window of the day starts at this hour (Asia/Shanghai)"),
    _s("SLOT_DAY_END_HOUR", int, 22, "last window of the day ends at this hour (Asia/Shanghai)"),
    _s("SLOT_DAYS_AHEAD", int, 2, "days of windows opened ahead"),
    _s("CHECKIN_EARLY_MINUTES", int, 60, "how long before its window a truck may check in"),
    _s("CHECKIN_LATE_MINUTES", int, 30, "how long after its window ends a truck may still check in"),
    _s("CALL_GRACE_MINUTES", int, 15, "after the drive from the lot, how long a called truck has to reach the gate"),
    _s("LOT_MAX_TRUCKS", int, 30, "most trucks checked in and waiting in a mine's lot at once (more wait outside)"),
    _s("OVERBOOK_MAX_RATE", float, 0.15, "most seats sold beyond the lanes' by the mine's measured no-show rate"),
    _s("NO_SHOW_OFFER_MINUTES", int, 10, "a truck not checked in this long after its arrive-by time frees a seat"),
    _s("CALL_BUFFER_TRUCKS", int, 1, "trucks called beyond those the lanes free during the drive from the lot"),
    _s("ARRIVAL_BUFFER_MINUTES", int, 10, "a booked truck is asked to reach the lot this long before its drive"),
    _s("FIX_MAX_ACCURACY_M", int, 100, "check-in ignores fixes less precise than this"),
    _s("CHECKIN_DEBOUNCE_FIXES", int, 2, "fixes inside the fence that settle a check-in"),
    _s("CHECKIN_DEBOUNCE_SECONDS", int, 60, "or this long inside the fence"),
    _s("AVG_TRUCK_SPEED_KMH", int, 40, "average speed behind window suggestions"),
    # Gate
    _s("GATE_DUAL_ID_WINDOW_MS", int, 120_000, "QR pass and plate read pair when this close on one lane"),
    _s("GATE_TARE_TOLERANCE_KG", int, 1_500, "tare drift beyond this against registry or history is flagged"),
    _s("GATE_ORDER_TOLERANCE_KG", int, 1_000, "net may exceed the ordered tonnage by this before it is an over-load"),
    _s("GATE_MIN_LOAD_KG", int, 1_000, "a gross this near the tare is a repeated empty weighing"),
    _s(
        "GATE_LEGAL_GROSS_KG",
        dict,
        {2: 18_000, 3: 25_000, 4: 31_000, 5: 43_000, 6: 49_000},
        "legal gross by axle count, GB 1589-2016 (JSON object)",
    ),
    _s("GATE_RESCORE_WINDOW_MS", int, 6 * 3600 * 1000, "sightings this recent are rescored when late GPS arrives"),
    # Tracking
    _s("TRACK_RETENTION_DAYS", int, 180, "GPS fixes are kept this long (TTL); older ones are refused"),
    _s("TRACK_MAX_FUTURE_MS", int, 5 * 60 * 1000, "fixes further ahead of our clock are refused"),
    _s("TRACK_MAX_SPEED_KMH", int, 160, "a fix's reported speed above this is refused"),
    _s("TRACK_MAX_ACCURACY_M", int, 2000, "a fix's reported accuracy above this is refused"),
    _s("TRACK_CORRIDOR_M", int, 5000, "off the route by more than this is a deviation"),
    _s("TRACK_DEVIATION_MS", int, 10 * 60 * 1000, "...for this long raises an alert"),
    _s("TRACK_LONG_STOP_MS", int, 30 * 60 * 1000, "a stop away from known places this long raises an alert"),
    _s("TRACK_DEPART_DISTANCE_M", int, 1000, "this far from the mine a released truck has departed"),
    # Maps (backend/places/): the tiles under our own layers; none draws our GeoJSON alone on a plain background
    _s("TILE_PROVIDER", str, "none", "map tiles: none, osm or tianditu (CGCS2000, used as WGS-84 without a shift)"),
    _s("TIANDITU_KEY", str, "", "Tianditu browser key (tk), sent to every map; not a secret: limit it by domain"),
    # Settlement (contracts without their own terms)
    _s("DETENTION_FREE_MINUTES", int, 120, "an on-time truck waits this long at the mine before 压车费 accrues"),
    _s("DETENTION_FEN_PER_HOUR", int, 5000, "压车费 the mine's sales company owes the carrier per hour beyond that"),
    # Regulatory feed to the province (backend/regfeed/): WLHY documents after receipt and settlement
    _s("REGFEED_PROVINCE", str, "ministry", "ministry (SM2/SM4 envelope) or shaanxi (token, AES-128-CBC, signed)"),
    _s("REGFEED_URL", str, "http://127.0.0.1:8005", "the province's endpoint (local: the province sandbox)"),
    _s("REGFEED_SENDER_CODE", str, "61080200001", "our sender code / app id issued by the province"),
    _s("REGFEED_TOKEN", str, "", "the province's token (ministry) or app secret (Shaanxi)", secret=True),
    _s("REGFEED_PUBLIC_KEY", str, "", "the province's SM2 public key (hex x||y) the content key is wrapped to"),
    _s("REGFEED_TIMEOUT_SECONDS", float, 10.0, "an upload not answered in this long is retried later"),
    _s("REGFEED_RETRY_SECONDS", int, 60, "first retry delay; doubled per attempt up to an hour"),
    _s("REGFEED_ACCEPT_WITHIN_MINUTES", int, 120, "a document not accepted this long after queueing raises an alert"),
    _s("REGFEED_TRACK_GAP_MINUTES", int, 30, "self-check: longest gap between positions in transit"),
    _s("REGFEED_FENCE_NEAR_M", int, 3000, "self-check: first/last fix this near the mine and the destination"),
    _s("REGFEED_LOAD_TOLERANCE_PCT", float, 5.0, "self-check: net weight may exceed the rated load by this %"),
    _s("REGFEED_SAMPLE_SECONDS", int, 300, "terminal track sampled every this many seconds for WLHY_WZ1001"),
)
BY_NAME = {s.name: s for s in SETTINGS}
REQUIRED_SECRETS = tuple(s.name for s in SETTINGS if s.required)  # start-up refuses to run without them
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _parse(spec, text):
    if spec.type is bool:
        if text.strip().lower() not in _TRUE | _FALSE:
            raise ValueError("expected 1 or 0")
        return text.strip().lower() in _TRUE
    if spec.type is dict:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("expected a JSON object")
        return value
    return spec.type(text)


def parse(environ):
    """The table's values from an environment mapping; a malformed value fails naming its variable."""
    values, problems = {}, []
    for spec in SETTINGS:
        text = environ.get(spec.name) or (environ.get(spec.also) if spec.also else None)
        try:
            values[spec.name] = spec.default if text in (None, "") else _parse(spec, text)
        except ValueError as error:
            problems.append(f"{spec.name}={text!r} is not a valid {spec.type.__name__} ({error})")
    if problems:
        raise RuntimeError("bad settings: " + "; ".join(problems))
    return values


def _weak(spec, value):
    return spec.required and len(value or "") < MIN_SECRET_CHARS


def _weak_message(spec):
    return f"{spec.name} must be set ({MIN_SECRET_CHARS}+ characters)"


def missing_secrets(values):
    """Messages for required secrets that are unset or too short."""
    return [_weak_message(s) for s in SETTINGS if _weak(s, values.get(s.name))]


@functools.lru_cache(maxsize=1)
def environment():
    """The table parsed once from os.environ: what setting() answers outside an app."""
    return parse(os.environ)


def setting(name):
    """A setting's value: app.config inside an app (tests override there), else the environment's table."""
    if has_app_context() and name in current_app.config:
        return current_app.config[name]
    value = environment()[name]  # KeyError for a name not in the table: a typo fails loudly
    if _weak(BY_NAME[name], value):
        raise RuntimeError(_weak_message(BY_NAME[name]))
    return value


class Config:
    """Settings for create_app: the table from the environment, overrides (tests) applied, then checked."""

    def __init__(self, environ=None, **overrides):
        values = parse(os.environ if environ is None else environ)
        values.update(overrides)
        problems = missing_secrets(values)
        if problems:
            raise RuntimeError("cannot start: " + "; ".join(problems))
        self.TESTING = False
        for key, value in values.items():
            setattr(self, key, value)
        # Flask-JWT-Extended's names for the two lifetimes, in seconds.
        self.JWT_ACCESS_TOKEN_EXPIRES = round(values["JWT_ACCESS_MINUTES"] * 60)
        self.JWT_REFRESH_TOKEN_EXPIRES = values["JWT_REFRESH_DAYS"] * 86400

    def as_flask(self):
        """The settings as a dict for app.config."""
        return {k: v for k, v in vars(self).items() if k.isupper()}

"""What each notification kind is: how urgent, which SMS template, where a tap leads, and its words.

Critical kinds are must-deliver: they go by SMS (the channel that reaches every phone in mainland China)
and cannot be opted out of; only a call-in ignores quiet hours (a driver who misses it loses the slot).
The PWA renders inbox messages from its own word table (pwa/roles/common/inbox.js) with the same params.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    critical: bool  # SMS as well, no opt-out
    link: str  # the screen a tap opens
    zh: tuple  # (title, body) with {param} placeholders
    en: tuple
    wakes: bool = False  # ignores quiet hours (call-ins only)


KINDS = {
    "called": Kind(
        True,
        "#/queue",
        ("已叫号，请进场", "请在 {time} 前到达门岗"),
        ("Called to the gate", "Reach the gate by {time}"),
        wakes=True,
    ),
    "hold": Kind(
        True,
        "#/tickets",
        ("车辆被扣", "运单 {waybill} 被扣：{reason}"),
        ("Truck held", "Waybill {waybill} held: {reason}"),
    ),
    "window_closed": Kind(
        True,
        "#/booking",
        ("预约时段已取消", "矿方关闭了您的时段：{reason}，请重新预约"),
        ("Window cancelled", "The mine closed your window: {reason}. Please book again"),
    ),
    "unhold": Kind(
        False, "#/my-waybill", ("扣车已解除", "运单 {waybill} 可继续"), ("Hold cleared", "Waybill {waybill} may go on")
    ),
    "expired": Kind(
        False,
        "#/booking",
        ("预约已过期", "预约已失效：{reason}"),
        ("Booking expired", "Your booking expired: {reason}"),
    ),
    "complaint_answered": Kind(
        False, "#/trust-complaints", ("投诉已答复", "答复：{reason}"), ("Complaint answered", "Reply: {reason}")
    ),
    "dispatched": Kind(
        False, "#/my-waybill", ("新派车", "运单 {waybill}，{plate}"), ("Dispatched", "Waybill {waybill}, {plate}")
    ),
    "entrusted": Kind(
        False,
        "#/carrier-dispatch",
        ("新委托", "运单 {waybill} 待派车"),
        ("New entrustment", "Waybill {waybill} to dispatch"),
    ),
    "declined": Kind(
        False,
        "#/shipper-loads",
        ("承运商拒绝了委托", "运单 {waybill} 已退回：{reason}。请改派承运商或发布到大厅"),
        ("Carrier declined", "Waybill {waybill} came back: {reason}. Entrust another carrier or publish it"),
    ),
    "arrived": Kind(
        False,
        "#/track",
        ("车辆已到达", "运单 {waybill}，{plate} 已到卸货地"),
        ("Truck arrived", "Waybill {waybill}, {plate} is at the site"),
    ),
    "disputed": Kind(
        False,
        "#/alerts",
        ("收货有异议", "运单 {waybill}：{reason}"),
        ("Receipt disputed", "Waybill {waybill}: {reason}"),
    ),
    "settled": Kind(
        False, "#/earnings", ("运费已结算", "运单 {waybill} 已结算"), ("Settled", "Waybill {waybill} was settled")
    ),
    "paid": Kind(
        False,
        "#/buyer-orders",
        ("已收到付款", "运单 {waybill} 已付款，进入大厅"),
        ("Payment received", "Waybill {waybill} is paid and in the hall"),
    ),
    "signal_lost": Kind(
        False,
        "#/alerts",
        ("车辆失联", "{plate} 已 {minutes} 分钟无定位"),
        ("Signal lost", "{plate}: no fix for {minutes} min"),
    ),
    # A report a person subscribed to was generated (analytics.service.generate_reports); dispatch's is a summary.
    "report_ready": Kind(
        False, "#/reports", ("新报表", "{party}：{start} 至 {end}"), ("New report", "{party}: {start} to {end}")
    ),
    "reports_ready": Kind(
        False,
        "#/reports",
        ("报表已生成", "{count} 份报表：{start} 至 {end}"),
        ("Reports ready", "{count} reports: {start} to {end}"),
    ),
}
CRITICAL = tuple(name for name, kind in KINDS.items() if kind.critical)
OPTIONAL = tuple(name for name, kind in KINDS.items() if not kind.critical)


def text(kind, params, lang="zh"):
    """(title, body) in one language, placeholders filled (a missing one stays blank)."""
    title, body = getattr(KINDS[kind], "en" if lang == "en" else "zh")
    values = _Blank(params or {})
    return title.format_map(values), body.format_map(values)


def both(kind, params):
    """Title and body zh-CN first, English after (push and logs, where the reader's language is unknown)."""
    (zt, zb), (et, eb) = text(kind, params, "zh"), text(kind, params, "en")
    return f"{zt} · {et}", f"{zb} · {eb}"


def sms_template(kind, lang):
    """The template meaning in SMS_TEMPLATES: "<kind>_zh" or "<kind>_en"."""
    return f"{kind}_{'en' if lang == 'en' else 'zh'}"


class _Blank(dict):
    def __missing__(self, key):
        return ""

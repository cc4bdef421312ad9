"""The daily reminder of carriers' certificates: expiring ones alerted once, lapsed ones announced to credit."""

from backend import events
from backend.accounts import service as accounts
from backend.alerts import service as alerts
from backend.regfeed import facts

_ACTOR = facts.READER


def remind_certificates(*, now_ms, carrier_ids=None):
    """Alert each carrier once per certificate expiring within 30 days: {"reminded": n}."""
    reminded = 0
    for carrier_id in carrier_ids or [org.org_id for org in accounts.list_carriers()]:
        for record, certificate, expires, days in accounts.expiring_papers(carrier_id, now_ms=now_ms):
            subject = getattr(record, "plate", None) or getattr(record, "user_id", "")
            alerts.raise_alert(
                kind="certificate_expiring",
                mine_id="platform",
                actor=_ACTOR,
                now_ms=now_ms,
                hold=False,
                carrier_id=carrier_id,
                vehicle_id=getattr(record, "vehicle_id", None),
                reason=f"{subject}: {certificate} expires on {expires} (in {days} days)",
            )
            accounts.mark_warned(record, expires)
            reminded += 1
        # A certificate past its expiry counts against the party's credit, once per lapse (the listener's event id).
        for party_id, role, certificate, expires, subject in accounts.lapsed_papers(carrier_id, now_ms=now_ms):
            events.publish(
                "certificate_lapsed",
                party_id=party_id,
                role=role,
                certificate=certificate,
                expires=expires,
                subject=subject,
                now_ms=now_ms,
            )
    return {"reminded": reminded}

"""What the platform's events add to the parties' counters (subscribed in backend/events.py).

`publish` listeners run after their fact committed: a failure here is logged, never undoes the fact (a credit
counter is worth less than a delivered load). `steps` listeners join the announcer's own transaction.
"""

import logging

from backend.common.clock import now_ms as clock_now
from backend.trust import service, store, weights
from backend.waybills import service as waybills

log = logging.getLogger("coalhaul.trust")


def _parties(waybill):
    return [
        (waybill.driver_id, "driver"),
        (waybill.carrier_id, "carrier"),
        (waybill.shipper_id, "shipper"),
        (waybill.buyer_id, "buyer"),
    ]


def _loss_over_allowance(waybill):
    net, received = waybill.net_kg, waybill.received_kg
    if not net or received is None:
        return False
    return net - received > net * weights.LOSS_ALLOWANCE_PERMILLE / 1000


def delivery_events(waybill, *, now_ms):
    """A confirmed delivery: a completed load for every party; loss beyond the allowance for the haulers."""
    counted = [(pid, role, "completed", None) for pid, role in _parties(waybill) if pid]
    if _loss_over_allowance(waybill):
        lost = f"{waybill.net_kg - waybill.received_kg} kg"
        counted += [(pid, role, "loss_over_allowance", lost) for pid, role in _parties(waybill)[:2] if pid]
    return [
        service.event_record(
            party_id=pid,
            role=role,
            signal=signal,
            source_id=waybill.waybill_id,
            at=now_ms,
            waybill_id=waybill.waybill_id,
            note=note,
        )
        for pid, role, signal, note in counted
    ]


def on_delivery_confirmed(*, waybill_id, now_ms, waybill=None, **_):
    """events: delivery_confirmed."""
    try:
        service.record(delivery_events(waybill or waybills.get(waybill_id), now_ms=now_ms))
    except Exception:  # noqa: BLE001 - see the module docstring
        log.exception("trust: delivery %s not counted", waybill_id)


def cancel_events(waybill, *, party_id, role, now_ms):
    """A cancellation after the grab; more than 1 h after it counts on top."""
    # `updated_at` of a load still `assigned` is when it was assigned (the grab or the carrier's dispatch).
    late = now_ms - (waybill.updated_at or now_ms) > weights.LATE_CANCEL_AFTER_MS
    return [
        service.event_record(
            party_id=party_id,
            role=role,
            signal=signal,
            source_id=f"{waybill.waybill_id}:{waybill.version}",
            at=now_ms,
            waybill_id=waybill.waybill_id,
        )
        for signal in ("cancel_after_grab",) + (("cancel_after_1h",) if late else ())
    ]


def load_cancelled_steps(*, waybill, now_ms=None, **_):
    """events: load_cancelled (steps): whoever ordered the load cancelled it after a driver took it."""
    now_ms = now_ms or clock_now()
    party_id, role = (waybill.shipper_id, "shipper") if waybill.shipper_id else (waybill.buyer_id, "buyer")
    if not party_id:
        return []
    return service.record_steps(cancel_events(waybill, party_id=party_id, role=role, now_ms=now_ms), once=False)


def given_back_steps(*, waybill, now_ms=None, **_):
    """events: load_given_back (steps): the driver returned a load after grabbing it."""
    now_ms = now_ms or clock_now()
    if not waybill.driver_id:
        return []
    return service.record_steps(
        cancel_events(waybill, party_id=waybill.driver_id, role="driver", now_ms=now_ms), once=False
    )


def on_settled(*, waybill_id, now_ms, waybill=None, **_):
    """events: waybill_settled: paid within 24 h of the confirmed receipt counts for the payer, after 72 h against."""
    try:
        waybill = waybill or waybills.get(waybill_id)
        payer, role = (waybill.shipper_id, "shipper") if waybill.shipper_id else (waybill.buyer_id, "buyer")
        received = store.get_event(payer, f"completed:{waybill_id}") if payer else None  # when it was confirmed
        if received is None:
            return
        waited = now_ms - received.at
        signal = (
            "paid_fast" if waited <= weights.PAID_FAST_MS else "paid_slow" if waited > weights.PAID_SLOW_MS else None
        )
        if signal:
            service.record(
                [
                    service.event_record(
                        party_id=payer,
                        role=role,
                        signal=signal,
                        source_id=waybill_id,
                        at=now_ms,
                        waybill_id=waybill_id,
                        note=f"{waited // 3_600_000} h",
                    )
                ]
            )
    except Exception:  # noqa: BLE001
        log.exception("trust: payment speed of %s not counted", waybill_id)


def on_booking_expired(*, booking, now_ms, **_):
    """events: booking_expired: the truck never came (a no-show for the driver)."""
    try:
        service.record(
            [
                service.event_record(
                    party_id=booking.driver_id,
                    role="driver",
                    signal="no_show",
                    source_id=booking.booking_id,
                    at=now_ms,
                    waybill_id=booking.waybill_id,
                )
            ]
        )
    except Exception:  # noqa: BLE001
        log.exception("trust: no-show %s not counted", booking.booking_id)


def on_checked_in(*, booking, at_ms, now_ms, **_):
    """events: booking_checked_in: arriving by the end of the booked window counts as on time (once a booking)."""
    if at_ms > booking.slot_end_ms:
        return
    try:
        service.record(
            [
                service.event_record(
                    party_id=booking.driver_id,
                    role="driver",
                    signal="on_time",
                    source_id=booking.booking_id,
                    at=now_ms,
                    waybill_id=booking.waybill_id,
                )
            ]
        )
    except Exception:  # noqa: BLE001
        log.exception("trust: on-time %s not counted", booking.booking_id)


def on_trip_alert(*, alert, now_ms, **_):
    """events: trip_alert_raised: a lost signal in transit is a gap in the track for the driver and the carrier."""
    if alert.kind != "signal_lost" or not alert.waybill_id:
        return
    try:
        waybill = waybills.get(alert.waybill_id)
        service.record(
            [
                service.event_record(
                    party_id=pid,
                    role=role,
                    signal="track_gap",
                    source_id=alert.alert_id,
                    at=now_ms,
                    waybill_id=alert.waybill_id,
                )
                for pid, role in _parties(waybill)[:2]
                if pid
            ]
        )
    except Exception:  # noqa: BLE001
        log.exception("trust: track gap %s not counted", alert.alert_id)


def on_certificate_lapsed(*, party_id, role, certificate, expires, subject, now_ms, **_):
    """events: certificate_lapsed: a required certificate past its expiry counts once per lapse (daily job)."""
    event = service.event_record(
        party_id=party_id,
        role=role,
        signal="certificate_expired",
        source_id=f"{subject}:{certificate}:{expires}",
        at=now_ms,
        note=f"{certificate} expired {expires}",
    )
    service.record([event])


def on_fake_plate_confirmed(*, waybill_id, now_ms, alert_id, **_):
    """events: fake_plate_confirmed: the driver's score is held at 0 and the driver suspended pending review."""
    waybill = waybills.find(waybill_id) if waybill_id else None
    if waybill is None or not waybill.driver_id:
        log.warning("trust: fake plate %s names no driver", alert_id)
        return
    event = service.event_record(
        party_id=waybill.driver_id,
        role="driver",
        signal="fake_plate",
        source_id=alert_id,
        at=now_ms,
        waybill_id=waybill_id,
        note=f"alert {alert_id}",
    )
    reason = f"fake plate confirmed (alert {alert_id}): pending review"
    service.record([event])
    # Its own write: the event's counters already update this party's standing item in the first one.
    store.set_suspension(waybill.driver_id, role="driver", reason=reason, by="gate", now_ms=now_ms)

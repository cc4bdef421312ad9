"""Where one domain's facts reach another domain's reactions: the one table of subscriptions.

A domain that owns a fact announces it here without knowing who listens, so the listener may depend
on the announcer but never the other way round (no import cycles between domains). Two kinds:
- `publish(name, **facts)`: after the fact (fixes accepted → geofence check-in, gate rescoring).
- `steps(name, **facts)`: transaction steps the listeners add to the announcer's own TransactWrite
  (a load cancelled → its quota truck goes back in the same write).
Listeners are named as "module:function" and imported on first use, so a cold start loads only
the domains a request touches.
"""

import importlib

SUBSCRIBERS = {
    # waybills/service.py transition, inside the move's own TransactWrite (waybill=, action=, version=, changes=,
    # now_ms=): the webhook outbox event for moves subscribers see (no step, no read for the others).
    "waybill_moving": ("backend.webhooks.service:outbox_steps",),
    # waybills/service.py transition, a hold placed or lifted, inside its own TransactWrite (waybill=, action=,
    # now_ms=): a truck held while in the mine's queue is marked so on its booking.
    "waybill_holding": ("backend.appointments.booking.holds:hold_steps",),
    # waybills/service.py transition, after the move committed (waybill=, action=, actor=, reason=, now_ms=).
    "waybill_moved": (
        "backend.notifications.reactions:on_waybill_moved",  # inbox, SMS, push to the people
        "backend.trust.deposit:on_waybill_moved",  # a grab's deposit goes back when the load ends for the driver
    ),
    # trust/complaints.py answer, after it committed (complaint_id=, author_user_id=, response=, now_ms=).
    "complaint_answered": ("backend.notifications.reactions:on_complaint_answered",),
    # notifications (deliver.py): a must-deliver SMS given up or undelivered (kind=, mine_id=, reason=, actor=,
    # now_ms=, hold=False) becomes an alert in dispatch's open list.
    "notify_failed": ("backend.alerts.service:raise_alert",),
    # Lookups notifications asks of auth without importing it (auth sends its codes through notifications):
    "person_read": ("backend.auth.service:user_read",),  # (user_id) -> a batch Read of the user (phone)
    "org_people": ("backend.auth.service:list_org_users",),  # (org_id, role=, limit=, last_evaluated_key=)
    # A lookup catalogue asks of accounts (which reaches the catalogue through other domains): (org_id) -> org or None.
    "org_read": ("backend.accounts.service:find_org",),
    # tracking/ingest.py: one vehicle's newly stored fixes, oldest first.
    "fixes_accepted": (
        "backend.appointments.checkin.service:process_fixes",  # geofence check-in at the mine
        "backend.gate.scoring:on_late_fixes",
    ),  # late blind-zone fixes rescore gate sightings
    # orders/service.py cancel: steps that undo an assignment beyond the driver's claim.
    "load_cancelled": (
        "backend.dispatch.service:give_back_steps",  # the shipper's quota truck
        "backend.trust.listeners:load_cancelled_steps",  # a cancellation after the grab counts for who ordered
    ),
    # dispatch/hall.py give_back (steps, waybill=, now_ms=): the driver returned a load after grabbing it.
    "load_given_back": ("backend.trust.listeners:given_back_steps",),
    # appointments/queue/service.py expire, after the expiry committed (booking=, now_ms=): a no-show.
    # alerts/service.py raise_episode_alert, a trip alert raised once per episode (alert=, now_ms=).
    "trip_alert_raised": ("backend.trust.listeners:on_trip_alert",),
    # appointments/checkin/service.py check_in, after it committed (booking=, at_ms=, now_ms=): on time or not.
    "booking_checked_in": ("backend.trust.listeners:on_checked_in",),
    "booking_expired": ("backend.trust.listeners:on_booking_expired",),
    # alerts/service.py resolve, a fake-plate alert confirmed (waybill_id=, vehicle_id=, alert_id=, now_ms=).
    "fake_plate_confirmed": ("backend.trust.listeners:on_fake_plate_confirmed",),
    # accounts/service.py, after a truck's or a driver's papers were saved (kind=, subject_id=, now_ms=).
    "papers_changed": ("backend.regfeed.service:on_papers_changed",),
    # regfeed/reminders.py remind_certificates, daily (party_id=, role=, certificate=, expires=, subject=, now_ms=).
    "certificate_lapsed": ("backend.trust.listeners:on_certificate_lapsed",),
    # catalogue/sites.py: a site onboarded or edited (mine=, now_ms=, days=): its windows open at once.
    "site_saved": ("backend.appointments.windows.service:open_mine_days",),
    # gate/weighing.py, after the loaded weighing committed (waybill_id=, now_ms=): the prepaid freight part.
    "waybill_weighed_out": ("backend.settlement.service:on_weighed_out",),
    # settlement/service.py settle, after the settling move committed (waybill_id=, now_ms=, waybill=).
    "waybill_settled": (
        "backend.regfeed.service:on_settled",  # the fund flow to the province
        "backend.trust.listeners:on_settled",  # how fast the payer paid after the receipt (credit)
    ),
    # receipts/service.py, after the buyer's confirmation committed (waybill_id=, now_ms=): 回单付.
    "delivery_confirmed": (
        "backend.settlement.service:on_delivery_confirmed",
        "backend.regfeed.service:on_delivery_confirmed",  # the electronic waybill to the province
        "backend.trust.listeners:on_delivery_confirmed",  # a completed load (and loss) for every party
    ),
}
_loaded = {}


def _listener(reference):
    if reference not in _loaded:
        module, name = reference.split(":")
        _loaded[reference] = getattr(importlib.import_module(module), name)
    return _loaded[reference]


def listeners(name):
    """The functions subscribed to an event, in the table's order."""
    return [_listener(reference) for reference in SUBSCRIBERS[name]]


def publish(name, **facts):
    """Tell every listener; each is called with the facts as keyword arguments."""
    for listener in listeners(name):
        listener(**facts)


def steps(name, **facts):
    """The transaction steps every listener adds for the facts (a list of TxOp)."""
    return [step for listener in listeners(name) for step in listener(**facts)]

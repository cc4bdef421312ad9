"""Trust: a party's standing (90-day counters), its day counters, contributing events, ratings, complaints, appeals."""

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex

from backend.common.table_model import Model
from backend.trust.weights import COUNTERS


def _counters():
    # One top-level number per signal, tally and tag: DynamoDB's ADD works on top-level numbers (and creates
    # them), so an event adds to its party's day and window totals without reading them first.
    return {name: NumberAttribute(null=True) for name in COUNTERS}


def _gsi(name, hash_name, range_name, range_type=NumberAttribute):
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    return type(
        f"Trust_{name}",
        (GlobalSecondaryIndex,),
        {"Meta": meta, hash_name: UnicodeAttribute(hash_key=True), range_name: range_type(range_key=True)},
    )


class _StandingMeta:
    table_name = "trust_standings"


# The party's window totals (the 90 days up to now: events add, the nightly job takes off the day that left),
# its suspension, a shipper's (buyer's) minimum driver grade, and the job's last score snapshot.
Standing = type(
    "Standing",
    (Model,),
    {
        "__doc__": "One party (driver, carrier, shipper, buyer, mine): 90-day counters, suspension, policy.",
        "__module__": __name__,
        "Meta": _StandingMeta,
        "party_id": UnicodeAttribute(hash_key=True),  # user id (driver, buyer), org id (carrier, shipper), mine id
        "role": UnicodeAttribute(null=True),
        "suspended_reason": UnicodeAttribute(null=True),  # set while suspended: out of the hall and dispatch
        "suspended_at": NumberAttribute(null=True),
        "suspended_by": UnicodeAttribute(null=True),
        "min_driver_grade": UnicodeAttribute(null=True),  # shipper/buyer: its hall loads only for drivers this good
        "score": NumberAttribute(null=True),  # the nightly job's snapshot (the live score is computed on read)
        "grade": UnicodeAttribute(null=True),
        "computed_at": NumberAttribute(null=True),
        **_counters(),
    },
)

PartyDayByDay = _gsi("by_day", "day", "party_id", UnicodeAttribute)


class _DayMeta:
    table_name = "trust_days"


# One party's counters for one Shanghai day: the window job finds the days leaving the window by key.
PartyDay = type(
    "PartyDay",
    (Model,),
    {
        "__doc__": "A party's counters for one day (the unit the 90-day window adds and drops).",
        "__module__": __name__,
        "Meta": _DayMeta,
        "party_id": UnicodeAttribute(hash_key=True),
        "day": UnicodeAttribute(range_key=True),  # YYYY-MM-DD, Asia/Shanghai
        "role": UnicodeAttribute(null=True),
        "expired": NumberAttribute(null=True),  # when the window job took this day off the party's totals
        "by_day": PartyDayByDay(),
        **_counters(),
    },
)


class EventsByTime(LocalSecondaryIndex):
    class Meta:
        index_name = "by_time"
        projection = AllProjection()

    party_id = UnicodeAttribute(hash_key=True)
    at = NumberAttribute(range_key=True)


class TrustEvent(Model):
    """One contributing event: its signal, when, the load it came from; removed when an appeal is upheld."""

    class Meta:
        table_name = "trust_events"

    party_id = UnicodeAttribute(hash_key=True)
    event_id = UnicodeAttribute(range_key=True)  # "<signal>:<source id>": a replayed fact cannot count twice
    role = UnicodeAttribute()
    signal = UnicodeAttribute()
    count = NumberAttribute(default=1)
    at = NumberAttribute()
    day = UnicodeAttribute()
    waybill_id = UnicodeAttribute(null=True)  # never shown to the rated party for a rating (it names the rater)
    note = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="active")  # active | removed (an upheld appeal)
    appeal_id = UnicodeAttribute(null=True)
    by_time = EventsByTime()


class Rating(Model):
    """One party's rating of another on one delivered waybill (editable for 24 h)."""

    class Meta:
        table_name = "trust_ratings"

    rating_id = UnicodeAttribute(hash_key=True)  # "<waybill>:<rater party>:<target>"
    waybill_id = UnicodeAttribute()
    rater_id = UnicodeAttribute()
    rater_role = UnicodeAttribute()
    target = UnicodeAttribute()  # driver | carrier | shipper | buyer | mine
    rated_id = UnicodeAttribute()
    stars = NumberAttribute()
    tags = ListAttribute(of=UnicodeAttribute, null=True)
    day = UnicodeAttribute()  # the day it counts on (its first submission)
    created_at = NumberAttribute()
    updated_at = NumberAttribute()
    editable_until = NumberAttribute()


ComplaintsByStatus = _gsi("by_status", "status", "due_at")
ComplaintsByAuthor = _gsi("by_author", "author_id", "created_at")


class Complaint(Model):
    """A complaint (投诉) about a waybill or a party, answered by the dispatcher within 24 h."""

    class Meta:
        table_name = "trust_complaints"

    complaint_id = UnicodeAttribute(hash_key=True)
    author_id = UnicodeAttribute()  # the complaining party
    author_user_id = UnicodeAttribute()
    author_role = UnicodeAttribute()
    about_id = UnicodeAttribute(null=True)  # the party complained about
    about_role = UnicodeAttribute(null=True)
    waybill_id = UnicodeAttribute(null=True)
    category = UnicodeAttribute()
    text = UnicodeAttribute()
    photo_keys = ListAttribute(of=UnicodeAttribute, null=True)
    status = UnicodeAttribute(default="open")  # open | answered
    due_at = NumberAttribute()  # created_at + 24 h: the response clock
    created_at = NumberAttribute()
    alerted_at = NumberAttribute(null=True)  # the overdue alert was raised
    answered_at = NumberAttribute(null=True)
    answered_by = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(null=True)  # fault | no_fault
    at_fault_id = UnicodeAttribute(null=True)
    response = UnicodeAttribute(null=True)
    by_status = ComplaintsByStatus()
    by_author = ComplaintsByAuthor()


AppealsByStatus = _gsi("by_status", "status", "created_at")
AppealsByParty = _gsi("by_party", "party_id", "created_at")


class Appeal(Model):
    """A party contests one of its contributing events; the dispatcher upholds (event removed) or rejects."""

    class Meta:
        table_name = "trust_appeals"

    appeal_id = UnicodeAttribute(hash_key=True)
    party_id = UnicodeAttribute()
    party_role = UnicodeAttribute()
    user_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    signal = UnicodeAttribute()
    reason = UnicodeAttribute()
    status = UnicodeAttribute(default="pending")  # pending | upheld | rejected
    created_at = NumberAttribute()
    decided_at = NumberAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    decision_reason = UnicodeAttribute(null=True)
    by_status = AppealsByStatus()
    by_party = AppealsByParty()

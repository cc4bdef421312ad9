"""One regulatory document per subject and kind, with its upload state; counts per state."""

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from backend.common.table_model import Model


class DocsByState(GlobalSecondaryIndex):
    """What the upload job takes next: a mine's documents in a state, due by next_try_at (accepted: never asked)."""

    class Meta:
        index_name = "by_state"
        projection = AllProjection()

    state_key = UnicodeAttribute(hash_key=True)  # <state>#<mine id>
    next_try_at = NumberAttribute(range_key=True)


class DocsByVehicle(GlobalSecondaryIndex):
    """A truck's waybill documents by departure (the overlap self-check reads the few around one trip)."""

    class Meta:
        index_name = "by_vehicle"
        projection = AllProjection()

    vehicle_id = UnicodeAttribute(hash_key=True)
    departed_at = NumberAttribute(range_key=True)


class RegDocument(Model):
    """A document for the province: queued → sent → acknowledged → accepted | rejected → corrected → resent.

    `blocked` holds one that failed a self-check (the compliance queue); the job checks it again later.
    """

    class Meta:
        table_name = "reg_documents"

    doc_id = UnicodeAttribute(hash_key=True)  # <kind>#<subject id>: one document per truck and kind
    kind = UnicodeAttribute()  # waybill | fund_flow | vehicle | driver | positions
    subject_id = UnicodeAttribute()
    mine_id = UnicodeAttribute()  # where the coal came from (a truck's or driver's record: their first such load)
    state = UnicodeAttribute()
    state_key = UnicodeAttribute()  # derived: <state>#<mine id> (by_state)
    version = NumberAttribute(default=0)
    revision = NumberAttribute(default=0)  # a correction is a new revision with a new message reference
    message_ref = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    next_try_at = NumberAttribute()
    queued_at = NumberAttribute()
    sent_at = NumberAttribute(null=True)
    acked_at = NumberAttribute(null=True)
    done_at = NumberAttribute(null=True)
    reject_code = UnicodeAttribute(null=True)
    reject_reason = UnicodeAttribute(null=True)
    failures = JSONAttribute(null=True)  # self-check failures: [{"check", "reason", "fix"}]
    body = JSONAttribute(null=True)  # the document as last sent
    amount_fen = NumberAttribute(null=True)  # waybill: declared freight; fund flow: paid
    vehicle_id = UnicodeAttribute(null=True)  # waybill documents only (by_vehicle)
    departed_at = NumberAttribute(null=True)
    received_at = NumberAttribute(null=True)
    overdue_alerted = NumberAttribute(null=True)
    updated_at = NumberAttribute()
    by_state = DocsByState()
    by_vehicle = DocsByVehicle()

    def serialize(self, null_check=True):
        """Every write carries the derived index key."""
        self.state_key = f"{self.state}#{self.mine_id}"
        return super().serialize(null_check=null_check)


class RegCount(Model):
    """How many documents are in a state (moved in the same transaction as the document)."""

    class Meta:
        table_name = "reg_counts"

    state = UnicodeAttribute(hash_key=True)  # <state>#<shard>
    count = NumberAttribute(default=0)


class PositionConsent(Model):
    """A driver's consent to send their phone's position at departure and delivery to the province."""

    class Meta:
        table_name = "position_consents"

    driver_id = UnicodeAttribute(hash_key=True)
    granted = UnicodeAttribute()  # yes | no (withdrawn)
    granted_at = NumberAttribute(null=True)  # when the current consent was given; positions before it are not sent
    wording = UnicodeAttribute()  # the version of the text the driver agreed to
    updated_at = NumberAttribute()

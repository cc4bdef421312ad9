"""The one explicit list of every DynamoDB table (models are never found by import side effects)."""

from backend.accounts.models import DriverCredential, Organisation, Vehicle
from backend.alerts.models import Alert
from backend.analytics.models import Aggregate
from backend.appointments.booking.models import Booking
from backend.appointments.checkin.models import CheckinDebounce
from backend.appointments.log.models import QueueChainHead, QueueEvent, QueuePending
from backend.appointments.windows.models import MineQueueStats, Slot
from backend.auth.models import LoginThrottle, OneTimeCode, SessionCutoff, TokenFamily, User
from backend.catalogue.models import Mine, Product
from backend.common.models import Counter, IdempotencyRecord, UniqueClaim
from backend.devices.models import Device
from backend.dispatch.models import QuotaPlan, ShipperQuota
from backend.gate.models import QrScan, Sighting, WeighTicket
from backend.geofences.models import Fence
from backend.ledger.models import DayClosing, JournalLine, LedgerAccount, LedgerEntry
from backend.notifications.models import Delivery, InboxItem, NotifyPrefs, PushSubscription, SmsBudget
from backend.orders.models import Allocation
from backend.payments.models import Payment
from backend.places.models import SavedPlace
from backend.receipts.models import Receipt
from backend.regfeed.models import PositionConsent, RegCount, RegDocument
from backend.settlement.models import SettleCursor, SettlementAdjustments, SettlementTerms
from backend.tracking.models import CellCount, FixMinute, Position, Trip
from backend.trust.models import Appeal, Complaint, PartyDay, Rating, Standing, TrustEvent
from backend.waybills.models import Waybill, WaybillEvent
from backend.webhooks.models import Subscription as WebhookSubscription
from backend.webhooks.models import WebhookDelivery

ALL_MODELS = [
    IdempotencyRecord,
    UniqueClaim,
    Counter,
    User,
    TokenFamily,
    SessionCutoff,
    OneTimeCode,
    LoginThrottle,
    Organisation,
    Vehicle,
    DriverCredential,
    Device,
    Mine,
    Product,
    Waybill,
    WaybillEvent,
    Sighting,
    QrScan,
    WeighTicket,
    Alert,
    Aggregate,
    Allocation,
    QuotaPlan,
    ShipperQuota,
    FixMinute,
    Position,
    CellCount,
    Trip,
    Receipt,
    RegDocument,
    RegCount,
    PositionConsent,
    Fence,
    Slot,
    Booking,
    QueueEvent,
    QueueChainHead,
    QueuePending,
    MineQueueStats,
    CheckinDebounce,
    PushSubscription,
    InboxItem,
    Delivery,
    SmsBudget,
    NotifyPrefs,
    WebhookSubscription,
    WebhookDelivery,
    LedgerAccount,
    LedgerEntry,
    JournalLine,
    DayClosing,
    Payment,
    SavedPlace,
    SettlementTerms,
    SettlementAdjustments,
    SettleCursor,
    Standing,
    PartyDay,
    TrustEvent,
    Rating,
    Complaint,
    Appeal,
]

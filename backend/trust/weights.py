"""THE table of credit-score weights: every signal, who it counts for, its points per event and its cap.

Documented in docs/trust.md ("Credit score weights"); nothing else in the code holds a weight. A score is
BASE plus, per signal, (count x points) clipped to the signal's cap, then clipped to 0..100; a confirmed
fake-plate incident in the window is a hard gate (score 0). Caps keep one signal from swamping the rest and
make the score bounded by construction; points of one sign per signal make it monotone in every signal.
"""

from dataclasses import dataclass

BASE = 60  # a party with no history: mid-table, a grade C once it has 10 loads and nothing else happened
WINDOW_DAYS = 90
GRADED_AFTER_LOADS = 10  # fewer completed loads: the score is shown, the grade reads "new" (未评级)
GRADES = (("A", 90), ("B", 75), ("C", 60), ("D", 0))  # the first whose floor the score reaches
# A party without a grade yet counts as C where a grade is required (a shipper's minimum, the deposit rule):
# newcomers are neither shut out of every demanding shipper nor treated as proven.
UNGRADED_AS = "C"
LOSS_ALLOWANCE_PERMILLE = 3  # loss in transit beyond 3 per mille of the loaded net counts against the hauler
PAID_FAST_MS = 24 * 3_600_000  # settled this soon after the confirmed receipt: paid fast
PAID_SLOW_MS = 72 * 3_600_000  # settled later than this: paid slowly
LATE_CANCEL_AFTER_MS = 3_600_000  # a cancellation more than 1 h after the grab counts twice (both signals)


@dataclass(frozen=True)
class Signal:
    name: str
    roles: tuple  # whose score it moves
    points: float  # per event (positive: good)
    cap: float  # the most (absolute) the signal can move the score
    source: str  # where the platform records it
    wired: bool = True  # False: the weight is agreed but no event feeds it yet


HAULERS = ("driver", "carrier")
PAYERS = ("shipper", "buyer")
EVERYONE = HAULERS + PAYERS

SIGNALS = (
    Signal("completed", EVERYONE, 0.5, 20, "receipts: delivery confirmed by the buyer (delivery_confirmed)"),
    Signal(
        "on_time", HAULERS, 0.5, 10, "appointments: checked in by the end of the booked window (booking_checked_in)"
    ),
    Signal("no_show", HAULERS, -5, 30, "appointments: booking expired, the truck never came (booking_expired)"),
    Signal("cancel_after_grab", EVERYONE, -2, 20, "hall give-back by the driver, or an order cancelled once taken"),
    Signal("cancel_after_1h", EVERYONE, -3, 15, "the same, more than 1 h after the grab (counts on top)"),
    Signal("track_gap", HAULERS, -2, 10, "tracking: the signal lost in transit (trip_alert_raised, signal_lost)"),
    Signal("loss_over_allowance", HAULERS, -3, 15, "receipts: received weight below net minus the allowance"),
    Signal("complaint_at_fault", EVERYONE, -8, 40, "complaints: the dispatcher found this party at fault"),
    Signal("rating_good", EVERYONE, 1, 10, "ratings: 4 or 5 stars from the other side of a delivered load"),
    Signal("rating_bad", EVERYONE, -3, 20, "ratings: 1 or 2 stars"),
    Signal("certificate_expired", HAULERS, -10, 10, "accounts: a required certificate lapsed"),
    Signal("paid_fast", PAYERS, 0.5, 10, "settlement: settled within 24 h of the confirmed receipt (waybill_settled)"),
    Signal("paid_slow", PAYERS, -2, 15, "settlement: settled more than 72 h after the receipt (waybill_settled)"),
    Signal("fake_plate", ("driver",), 0, 0, "gate: a fake-plate alert confirmed (hard gate: score 0, suspended)"),
)
BY_NAME = {signal.name: signal for signal in SIGNALS}
HARD_GATES = ("fake_plate",)
# Counted beside the signals (not scored directly): the aggregated ratings people see.
TALLIES = ("ratings_n", "ratings_stars")
RATING_TAGS = ("load_fast", "load_slow", "pay_fast", "pay_slow", "polite", "rude", "on_time", "late", "gate_fast")
COUNTERS = tuple(s.name for s in SIGNALS) + TALLIES + tuple(f"tag_{t}" for t in RATING_TAGS)


def rating_signal(stars):
    """The signal a rating counts as: good (4-5), bad (1-2), none for 3."""
    if stars >= 4:
        return "rating_good"
    if stars <= 2:
        return "rating_bad"
    return None


def rank(grade):
    """A grade's order (D=1 .. A=4); an ungraded party counts as UNGRADED_AS."""
    letters = [g for g, _ in reversed(GRADES)]
    return letters.index(grade or UNGRADED_AS) + 1

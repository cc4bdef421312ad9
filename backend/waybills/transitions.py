"""The waybill state machine, in one table (DESIGN.md: the life of one truckload).

Each action maps to (states it may start from, the state it leads to). A target of None means
"back to the state the waybill was held from". Later domains add their actions here.
"""

STATES = (
    "open",
    "assigned",
    "booked",
    "checked_in",
    "called",
    "entered",
    "tare_weighed",
    "gross_weighed",
    "released",
    "in_transit",
    "arrived",
    "unloaded",
    "confirmed",
    "settled",
    "cancelled",
    "expired",
    "held",
    "disputed",
)

SAME = "same"  # a target that keeps the state: an edit recorded in the history like any move

# A plate alert or a weighing out of bounds can stop a truck anywhere between check-in and exit.
HOLDABLE = ("booked", "checked_in", "called", "entered", "tare_weighed", "gross_weighed", "released")

TRANSITIONS = {
    "assign": (("open",), "assigned"),  # grabbed in the hall or dispatched by the carrier
    "reassign": (("assigned",), "assigned"),  # the carrier changes driver/vehicle before booking
    "unassign": (("assigned",), "open"),  # the driver gives the load back
    "entrust": (("open",), "open"),  # the shipper hands an open load to a carrier (orders)
    "publish": (("open",), "open"),  # the shipper puts an open load in the order hall (orders)
    "pay": (("open",), "open"),  # the buyer's payment arrived: the load goes to the hall (payments)
    "expire_unpaid": (("open",), "expired"),  # not paid in time: the stock goes back (orders)
    "accept_entrustment": (("open",), "open"),  # the carrier takes the entrusted load on (dispatch)
    "decline_entrustment": (("open",), "open"),  # the carrier refuses it; back to the shipper (dispatch)
    "book": (("assigned",), "booked"),
    "move_booking": (("booked",), "booked"),
    "cancel_booking": (("booked",), "assigned"),
    "check_in": (("booked",), "checked_in"),
    "check_out": (("checked_in",), "booked"),
    "call": (("checked_in",), "called"),
    "requeue": (("called",), "checked_in"),  # a called truck that did not come goes back once
    "expire_booking": (("booked", "checked_in", "called"), "assigned"),  # no-show: seat released
    "enter": (("called",), "entered"),
    "enter_override": (
        ("assigned", "booked", "checked_in"),
        "entered",
    ),  # gate staff let an uncalled truck in, with a reason
    "release_booking": (("booked", "checked_in"), "assigned"),  # the mine closed the window: seat released, no blame
    "weigh_tare": (("entered",), "tare_weighed"),
    "weigh_gross": (("tare_weighed",), "gross_weighed"),
    "reweigh": (("gross_weighed", "held"), "tare_weighed"),  # overloaded: unload the surplus, weigh again (gate)
    "release": (("gross_weighed",), "released"),
    "depart": (("released",), "in_transit"),
    "arrive": (("in_transit",), "arrived"),
    "unload": (("arrived", "in_transit"), "unloaded"),  # outside the fence the receipt is flagged
    "confirm": (("unloaded",), "confirmed"),
    "dispute": (("unloaded",), "disputed"),
    "resolve_dispute": (("disputed",), "confirmed"),
    "settle": (("confirmed",), "settled"),
    "cancel": (("open", "assigned"), "cancelled"),
    "expire": (("open",), "expired"),  # a load nobody took by its date
    "hold": (HOLDABLE, "held"),
    # The buyer or shipper redraws the delivery fence while the load is still on its way (orders).
    "set_destination_fence": (("open", "assigned") + HOLDABLE + ("in_transit", "arrived"), SAME),
    "unhold": (("held",), None),
}

ACTIVE_STATES = (
    "assigned",
    "booked",
    "checked_in",
    "called",
    "entered",
    "tare_weighed",
    "gross_weighed",
    "released",
    "in_transit",
    "arrived",
    "held",
)


class IllegalTransition(Exception):
    """The action is not allowed from the waybill's current state."""

    def __init__(self, action, state):
        super().__init__(f"{action} is not allowed from {state}")
        self.action = action
        self.state = state


def target_state(action, state, held_from=None):
    """The state `action` leads to from `state`, or IllegalTransition."""
    if action not in TRANSITIONS:
        raise KeyError(f"unknown waybill action {action}")
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise IllegalTransition(action, state)
    if target == SAME:
        return state
    if target is None:
        if not held_from:
            raise IllegalTransition(action, state)
        return held_from
    return target

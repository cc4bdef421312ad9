"""Where things are: mine gate points (cached per process) and trucks' last GPS fixes (from tracking)."""

import time

from backend.catalogue import service as catalogue_service

_GATES = {}
_GATE_TTL_S = 300  # gates do not move; a short cache saves a GetItem on every sighting


def gate_point(mine_id):
    """{"gate_id", "site_id", "lonlat"} of a mine's gate, or None for an unknown mine."""
    cached = _GATES.get(mine_id)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    mine = catalogue_service.find_mine(mine_id)
    gate = (
        None if mine is None else {"gate_id": mine_id, "site_id": mine_id, "lonlat": list(mine.location["coordinates"])}
    )
    _GATES[mine_id] = (time.monotonic() + _GATE_TTL_S, gate)
    return gate


def last_fix(vehicle, *, at_ms):
    """The registered truck's latest GPS fix taken by at_ms, {"ts", "lonlat"}, or None (unknown, never "here")."""
    from backend.gate import store

    fix = store.last_fix_before(vehicle.vehicle_id, at_ms=at_ms)
    return None if fix is None else {"ts": int(fix.at_ms), "lonlat": [float(fix.lon), float(fix.lat)]}

"""Which truckload an entrusted carrier's trucks can take: the bulk form's default and the refusal of one none can."""

STEP_KG = 500  # the form asks in half tonnes


def fitting_loads(vehicles, *, min_kg):
    """Rated loads (kg, largest first) of the active trucks that can carry at least one legal truckload."""
    return sorted(
        (v.rated_load_kg for v in vehicles if v.status == "active" and v.rated_load_kg >= min_kg), reverse=True
    )


def truckload_fit(vehicles, *, min_kg, max_kg):
    """{trucks, largest_kg, suggested_kg, rated_loads_kg} for a carrier's fleet.

    The suggestion is the largest tonnage (in half tonnes, within the legal truckload) that at least half of the
    fitting trucks can take, so most of the carrier's trucks can be assigned to the loads; none fit: None.
    """
    loads = fitting_loads(vehicles, min_kg=min_kg)
    if not loads:
        return {"trucks": 0, "largest_kg": None, "suggested_kg": None, "rated_loads_kg": []}
    half = loads[(len(loads) + 1) // 2 - 1]  # the smallest of the larger half: that many trucks take it
    suggested = max(min(half, max_kg) // STEP_KG * STEP_KG, min_kg)
    return {"trucks": len(loads), "largest_kg": loads[0], "suggested_kg": suggested, "rated_loads_kg": loads}

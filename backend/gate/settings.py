"""Gate tunables: defaults here, overridable through app.config (e.g. GATE_TARE_TOLERANCE_KG=2000)."""
from flask import current_app, has_app_context

DEFAULTS = {
    # QR pass and plate read must land on the same lane within this window to pair.
    "GATE_DUAL_ID_WINDOW_MS": 120_000,
    # Trailer swaps and mud move a tare; more than this against registry or history is drift.
    "GATE_TARE_TOLERANCE_KG": 1_500,
    # Loaded net may exceed the ordered tonnage by this much before it is an over-load.
    "GATE_ORDER_TOLERANCE_KG": 1_000,
    # A gross reading within this of the tare is a repeated empty weighing, not a loaded truck.
    "GATE_MIN_LOAD_KG": 1_000,
    # Legal gross limits by axle count, GB 1589-2016 (articulated / goods vehicles).
    "GATE_LEGAL_GROSS_KG": {2: 18_000, 3: 25_000, 4: 31_000, 5: 43_000, 6: 49_000},
    # A sighting is rescored when late GPS arrives for sightings this recent.
    "GATE_RESCORE_WINDOW_MS": 6 * 3600 * 1000,
}


def setting(name):
    """The configured value of a gate setting, or its default outside an app."""
    if has_app_context():
        return current_app.config.get(name, DEFAULTS[name])
    return DEFAULTS[name]


def legal_gross_kg(axles):
    """The legal gross limit for an axle count (more axles than the table: the largest limit)."""
    table = {int(k): v for k, v in setting("GATE_LEGAL_GROSS_KG").items()}
    if axles in table:
        return table[axles]
    return table[max(table)] if axles > max(table) else table[min(table)]

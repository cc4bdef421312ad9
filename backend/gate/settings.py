"""Gate tunables (GATE_*): defaults and meanings live in backend.config's table (override in app.config)."""

from backend.config import setting


def legal_gross_kg(axles):
    """The legal gross limit for an axle count (more axles than the table: the largest limit)."""
    table = {int(k): v for k, v in setting("GATE_LEGAL_GROSS_KG").items()}
    if axles in table:
        return table[axles]
    return table[max(table)] if axles > max(table) else table[min(table)]

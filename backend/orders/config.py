"""Order settings as one typed view of backend.config's table (defaults: what the business uses today)."""

from dataclasses import dataclass

from backend.config import setting


@dataclass(frozen=True)
class OrderSettings:
    min_tonnage_kg: int
    max_tonnage_kg: int  # 49 t: the legal gross limit of a 6-axle truck caps one truckload
    road_factor: float  # road distance ≈ great-circle distance × this
    freight_fen_per_tkm: int  # freight rate, fen per tonne-kilometre
    max_bulk_trucks: int  # one TransactWrite holds ≤ 100 items: N waybills + the allocation


def settings():
    """Read on every call so tests can override them in app.config."""
    return OrderSettings(
        min_tonnage_kg=setting("ORDER_MIN_TONNAGE_KG"),
        max_tonnage_kg=setting("ORDER_MAX_TONNAGE_KG"),
        road_factor=setting("ROAD_FACTOR"),
        freight_fen_per_tkm=setting("ORDER_FREIGHT_FEN_PER_TKM"),
        max_bulk_trucks=min(setting("ORDER_MAX_BULK_TRUCKS"), 99),
    )

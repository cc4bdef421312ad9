"""Order settings from the environment, with the defaults the business uses today."""
import os
from dataclasses import dataclass


def _int(name, default):
    return int(os.environ.get(name, default))


def _float(name, default):
    return float(os.environ.get(name, default))


@dataclass(frozen=True)
class OrderSettings:
    min_tonnage_kg: int
    max_tonnage_kg: int  # 49 t: the legal gross limit of a 6-axle truck caps one truckload
    road_factor: float  # road distance ≈ great-circle distance × this
    freight_fen_per_tkm: int  # freight rate, fen per tonne-kilometre
    max_bulk_trucks: int  # one TransactWrite holds ≤ 100 items: N waybills + the allocation


def settings():
    """Read on every call so tests and deployments can change them through the environment."""
    return OrderSettings(min_tonnage_kg=_int("ORDER_MIN_TONNAGE_KG", 10_000),
                         max_tonnage_kg=_int("ORDER_MAX_TONNAGE_KG", 49_000),
                         road_factor=_float("ORDER_ROAD_FACTOR", 1.3),
                         freight_fen_per_tkm=_int("ORDER_FREIGHT_FEN_PER_TKM", 50),
                         max_bulk_trucks=min(_int("ORDER_MAX_BULK_TRUCKS", 99), 99))

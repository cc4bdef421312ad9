"""Quotes: the coal at the mine's price plus a freight estimate from distance, all in integer fen."""

from backend.common.geo import haversine_m


def _round_half_up(numerator, denominator):
    return (2 * numerator + denominator) // (2 * denominator)


def road_distance_m(origin, destination, road_factor):
    """The road distance a quote charges for (great-circle × ROAD_FACTOR): the hall shows the same figure."""
    return round(haversine_m(origin, destination) * road_factor)


def quote(*, price_fen_per_t, tonnage_kg, origin, destination, road_factor, freight_fen_per_tkm):
    """Coal + freight for one truckload; freight per tonne = road km × rate, rounded to the fen."""
    road_m = road_distance_m(origin, destination, road_factor)
    freight_fen_per_t = _round_half_up(road_m * freight_fen_per_tkm, 1000)
    coal_fen = _round_half_up(price_fen_per_t * tonnage_kg, 1000)
    freight_fen = _round_half_up(freight_fen_per_t * tonnage_kg, 1000)
    return {
        "tonnage_kg": tonnage_kg,
        "road_distance_m": road_m,
        "price_fen_per_t": price_fen_per_t,
        "freight_fen_per_t": freight_fen_per_t,
        "freight_fen_per_tkm": freight_fen_per_tkm,
        "coal_fen": coal_fen,
        "freight_fen": freight_fen,
        "total_fen": coal_fen + freight_fen,
    }

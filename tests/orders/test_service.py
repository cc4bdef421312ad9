"""A quote's arithmetic and what an order form may hold, with the catalogue faked (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.common.clock import shanghai_date
from backend.common.errors import ApiError
from backend.orders import pricing, service

MINE = [110.0, 39.0]
ONE_DEGREE_EAST = [111.0, 39.0]  # ≈ 86.5 km of great circle at this latitude
T0 = 1_790_000_000_000


def test_a_quote_is_coal_plus_freight_in_whole_fen():
    q = pricing.quote(
        price_fen_per_t=60_000,
        tonnage_kg=34_000,
        origin=MINE,
        destination=ONE_DEGREE_EAST,
        road_factor=1.3,
        freight_fen_per_tkm=50,
    )
    assert q["coal_fen"] == 2_040_000  # 600 yuan/t × 34 t
    assert 112_000 < q["road_distance_m"] < 113_000  # the straight line × 1.3
    assert q["freight_fen_per_t"] == (q["road_distance_m"] * 50 + 500) // 1000
    assert q["total_fen"] == q["coal_fen"] + q["freight_fen"]
    assert all(isinstance(q[k], int) for k in ("coal_fen", "freight_fen", "total_fen", "freight_fen_per_t"))


def test_the_road_factor_scales_the_freight_not_the_coal():
    args = dict(
        price_fen_per_t=60_000, tonnage_kg=34_000, origin=MINE, destination=ONE_DEGREE_EAST, freight_fen_per_tkm=50
    )
    straight, winding = pricing.quote(road_factor=1.0, **args), pricing.quote(road_factor=1.5, **args)
    assert winding["coal_fen"] == straight["coal_fen"]
    assert winding["freight_fen"] == pytest.approx(straight["freight_fen"] * 1.5, rel=0.001)


def test_a_load_at_the_mine_pays_no_freight():
    q = pricing.quote(
        price_fen_per_t=60_005,
        tonnage_kg=10_100,
        origin=MINE,
        destination=MINE,
        road_factor=1.3,
        freight_fen_per_tkm=50,
    )
    assert (q["freight_fen"], q["coal_fen"]) == (0, 606_051)  # 606 050.5 fen: half a fen rounds up


class FakeCatalogue:
    """The catalogue service's answers for one mine and one product."""

    def __init__(self, available_kg):
        self.product = SimpleNamespace(price_fen_per_t=60_000, available_kg=available_kg)

    def get_mine(self, mine_id):
        return SimpleNamespace(mine_id=mine_id, location={"type": "Point", "coordinates": MINE})

    def get_product(self, mine_id, product_id):
        return self.product

    def available_kg(self, product):
        return product.available_kg


@pytest.fixture
def catalogue(monkeypatch):
    fake = FakeCatalogue(available_kg=500_000)
    monkeypatch.setattr(service, "catalogue", fake)
    return fake


def ask(tonnage_kg=34_000, point=ONE_DEGREE_EAST):
    return service.quote(
        mine_id="mine_a",
        product_id="raw",
        tonnage_kg=tonnage_kg,
        destination={"point": {"type": "Point", "coordinates": point}},
    )


def test_the_quote_names_the_mine_product_and_what_is_still_available(catalogue):
    q = ask()
    assert (q["mine_id"], q["product_id"], q["available_kg"]) == ("mine_a", "raw", 500_000)
    assert q["total_fen"] > q["coal_fen"] == 2_040_000


@pytest.mark.parametrize("tonnage_kg,accepted", [(9_999, False), (10_000, True), (49_000, True), (49_001, False)])
def test_one_truckload_is_10_to_49_tonnes(catalogue, tonnage_kg, accepted):
    if accepted:
        assert ask(tonnage_kg)["tonnage_kg"] == tonnage_kg
        return
    with pytest.raises(ApiError) as refused:
        ask(tonnage_kg)
    assert refused.value.status == 400 and "tonnage_kg" in refused.value.details["fields"]


@pytest.mark.parametrize("point", [[39.0, 200.0], [181.0, 39.0], [110.0, -91.0]])
def test_a_destination_off_the_globe_is_refused_naming_it(catalogue, point):
    with pytest.raises(ApiError) as refused:
        ask(point=point)
    assert "destination" in refused.value.details["fields"]


def test_the_wanted_date_defaults_to_today_and_may_not_lie_in_the_past():
    today = shanghai_date(T0)
    assert service._wanted_date(None, T0) == today
    assert service._wanted_date("2099-01-01", T0) == "2099-01-01"
    for bad in ("2020-01-01", "tomorrow", "2026/09/30"):
        with pytest.raises(ApiError) as refused:
            service._wanted_date(bad, T0)
        assert "wanted_date" in refused.value.details["fields"]

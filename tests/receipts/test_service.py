"""An unloading receipt's flags and file checks, on plain values with the upload store faked (no DynamoDB)."""

from types import SimpleNamespace

import pytest

from backend.common.errors import ApiError
from backend.receipts import service

SITE = [[[110.0, 39.0], [110.01, 39.0], [110.01, 39.01], [110.0, 39.01], [110.0, 39.0]]]
INSIDE, OUTSIDE = [110.005, 39.005], [110.2, 39.2]


def waybill(net_kg=34_000):
    return SimpleNamespace(net_kg=net_kg, destination={"polygon": {"type": "Polygon", "coordinates": SITE}})


def test_a_receipt_inside_the_site_within_tolerance_has_no_flags():
    tolerance_kg = 34_000 * service.loss_tolerance_pct() / 100  # 68 kg at the default 0.2 %
    assert service._flags(waybill(), INSIDE, 34_000 - int(tolerance_kg)) == (True, int(tolerance_kg), [])


def test_more_lost_on_the_road_than_the_tolerance_is_flagged_and_so_is_a_gain():
    assert service._flags(waybill(), INSIDE, 33_000)[1:] == (1_000, ["loss_over_tolerance"])
    assert service._flags(waybill(), INSIDE, 35_000)[1:] == (-1_000, ["loss_over_tolerance"])


def test_unloading_away_from_the_site_or_without_a_position_is_flagged():
    assert service._flags(waybill(), OUTSIDE, 34_000)[2] == ["outside_fence"]
    assert service._flags(waybill(), None, 34_000)[2] == ["outside_fence"]


def test_without_a_weighed_net_there_is_no_loss_to_judge():
    assert service._flags(waybill(net_kg=None), INSIDE, 30_000) == (True, None, [])


class FakeFiles:
    """The upload store: which keys were really uploaded."""

    def __init__(self, *keys):
        self.keys = set(keys)

    def exists(self, key):
        return key in self.keys


@pytest.mark.parametrize(
    "key,why",
    [
        ("receipts/wb_2/photo.jpg", "not an upload of this waybill"),
        ("receipts/wb_1/../wb_2/photo.jpg", "not an upload of this waybill"),
        ("receipts/wb_1/missing.jpg", "not uploaded yet"),
    ],
)
def test_a_photo_must_be_this_waybills_own_finished_upload(key, why):
    files = FakeFiles("receipts/wb_1/photo.jpg", "receipts/wb_2/photo.jpg")
    service._check_file("receipts/wb_1/photo.jpg", "wb_1", "photo_keys.0", files)
    with pytest.raises(ApiError) as refused:
        service._check_file(key, "wb_1", "photo_keys.0", files)
    assert refused.value.details["fields"] == {"photo_keys.0": [why]}


def test_the_recipient_signs_or_gives_the_code():
    files = FakeFiles("receipts/wb_1/sign.png")
    waybill, who = SimpleNamespace(waybill_id="wb_1", state="arrived"), {"driver_id": "u_1", "now_ms": 0}
    assert service._check_signed(waybill, "receipts/wb_1/sign.png", None, files, **who) == "signature"
    with pytest.raises(ApiError) as refused:
        service._check_signed(waybill, None, None, files, **who)
    assert set(refused.value.details["fields"]) == {"signature_key", "receipt_code"}

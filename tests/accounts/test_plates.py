"""Plate normalisation, format and colour rules."""

import pytest

from backend.accounts.plates import PlateError, normalise_plate, plate_kind, validate_plate


@pytest.mark.parametrize(
    "raw,expected", [("陕k·12345", "陕K12345"), (" 陕Ｋ 3A612 ", "陕K3A612"), ("京a-d1234", "京AD1234")]
)
def test_normalise(raw, expected):
    assert normalise_plate(raw) == expected


@pytest.mark.parametrize(
    "plate,colour,kind",
    [
        ("陕K12345", "yellow", "ordinary"),
        ("陕K3A612", "blue", "ordinary"),
        ("京AD12345", "green", "new_energy_small"),
        ("粤BF1234X", None, None),
        ("陕K12345D", "yellow_green", "new_energy_large"),
    ],
)
def test_kinds(plate, colour, kind):
    assert plate_kind(normalise_plate(plate)) == kind


@pytest.mark.parametrize(
    "plate,colour",
    [("陕K12345", "yellow"), ("京AD12345", "green"), ("陕K12345F", "yellow_green"), ("蒙K8B888", "blue")],
)
def test_valid_plates(plate, colour):
    assert validate_plate(plate, colour) == plate


@pytest.mark.parametrize(
    "plate,colour,why",
    [
        ("K12345", "yellow", "province"),
        ("陕12345A", "yellow", "5 characters"),
        ("陕KI2345", "yellow", "5 characters"),  # I is never used on plates
        ("陕K1234", "yellow", "5 characters"),
        ("陕K12345", "green", "cannot be green"),
        ("京AD12345", "blue", "cannot be blue"),
        ("陕K12345D", "green", "cannot be green"),
        ("陕K12345", "purple", "colour must be"),
    ],
)
def test_invalid_plates_say_why(plate, colour, why):
    with pytest.raises(PlateError, match=why):
        validate_plate(plate, colour)


def test_heavy_truck_on_blue_plate_is_refused():
    with pytest.raises(PlateError, match="heavy truck"):
        validate_plate("陕K12345", "blue", gross_kg=49000)
    assert validate_plate("陕K12345", "yellow", gross_kg=49000) == "陕K12345"

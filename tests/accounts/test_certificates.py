"""Certificate numbers: check digits of the USCC, ID number and VIN; what a heavy truck needs to be dispatched."""

from types import SimpleNamespace

import pytest

from backend.accounts import certificates as c

VALID = {
    "uscc": ["914403001922038216", "91610821MA70HD0Q1J", "91610802ma70jx2k3r"],
    "id_number": ["11010519491231002X", "610821198003121111", "61080219860918111x"],
    "vin": ["1M8GDM9AXKP042788", "LZZ5CLSB4KA100001", "LFWSRXPJ8KA200003"],
    "permit_number": ["610821100001", "150602000318"],
    "qualification_number": ["610821198003121111", "610821000000123"],
}
INVALID = {
    "uscc": ["914403001922038217", "91440300192203821", "9144030019220382I6", "91990000MA70HD0Q1J", ""],
    "id_number": ["110105194912310021", "11010519491331002X", "99010519491231002X", "1101051949123100", None],
    "vin": ["1M8GDM9A1KP042788", "1M8GDM9AXKP04278", "1M8GDM9AXKP04278O", "LFWSRXRJ0L1E00001"],
    "permit_number": ["61082110000", "991821100001", "6108211000AB"],
    "qualification_number": ["61082119800312111X", "12345"],
}


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in VALID.items() for v in vs])
def test_valid_numbers_pass_and_come_back_normalised(kind, value):
    assert getattr(c, kind)(value) == value.strip().upper()


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in INVALID.items() for v in vs])
def test_invalid_numbers_are_refused_with_a_reason(kind, value):
    with pytest.raises(c.CertificateError) as error:
        getattr(c, kind)(value)
    assert str(error.value)


def test_completing_check_digits_makes_numbers_that_validate():
    assert c.uscc(c.uscc_with_check("91610821MA70HD0Q1")) == "91610821MA70HD0Q1J"
    assert c.id_number(c.id_with_check("11010519491231002")) == "11010519491231002X"
    assert c.vin(c.vin_with_check("1M8GDM9A0KP042788")) == "1M8GDM9AXKP042788"


def truck(**changes):
    fields = dict(
        plate="陕K3A612",
        tare_kg=15000,
        rated_load_kg=34000,
        gross_mass_kg=None,
        vehicle_type="tractor_trailer",
        vin="LZZ5CLSB4KA100001",
        transport_cert_no="610821100001",
        transport_cert_expires="2027-06-30",
    )
    return SimpleNamespace(**dict(fields, **changes))


def papers(**changes):
    fields = dict(
        licence_class="A2",
        licence_valid_until="2030-01-01",
        qualification_no="610821198003121111",
        qualification_expires="2029-01-01",
    )
    return SimpleNamespace(**dict(fields, **changes))


def test_a_heavy_truck_with_valid_papers_has_no_problem():
    assert c.problems(truck(), papers(), today="2026-12-01") == []


def test_expired_or_missing_papers_are_named():
    found = c.problems(truck(transport_cert_expires="2026-11-30"), None, today="2026-12-01")
    keys = {(key, kind) for key, kind, _ in found}
    assert ("vehicle_transport_cert", "expired") in keys
    assert ("driver_qualification", "missing") in keys and ("driver_licence", "missing") in keys
    assert "2026-11-30" in found[0][2]


def test_a_certificate_is_valid_through_its_expiry_day():
    assert c.problems(truck(transport_cert_expires="2026-12-01"), papers(), today="2026-12-01") == []


def test_a_b2_licence_cannot_drive_a_tractor_trailer_but_can_a_rigid_truck():
    assert c.problems(truck(), papers(licence_class="B2"), today="2026-12-01")[0][1] == "wrong_class"
    assert c.problems(truck(vehicle_type="dump_truck"), papers(licence_class="B2"), today="2026-12-01") == []


def test_a_light_truck_needs_no_road_transport_certificate():
    light = truck(tare_kg=1800, rated_load_kg=1200, transport_cert_no=None, vin=None)
    assert c.problems(light, None, today="2026-12-01") == []
    assert c.problems(truck(tare_kg=1800, rated_load_kg=2701, transport_cert_no=None), papers(), today="2026-12-01")


def test_expiring_within_30_days_is_announced_but_not_blocking():
    soon = truck(transport_cert_expires="2026-12-20")
    assert c.expiring(soon, papers(), today="2026-12-01") == [("vehicle_transport_cert", "2026-12-20", 19)]
    assert c.expiring(truck(transport_cert_expires="2027-01-01"), papers(), today="2026-12-01") == []

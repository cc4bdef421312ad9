"""Certificate numbers and their check digits, and whether a heavy truck's papers let it be dispatched.

Formats follow the standards the province's monitoring system checks: the unified social credit code
(GB 32100-2015), the resident ID number (GB 11643-1999), the VIN (GB 16735-2019, check digit in
position 9), the 道路运输证 / 道路运输经营许可证 numbers (6-digit GB/T 2260 area code + serial) and the
driving licence classes of GB/T 35789 / 公安部令第162号. Pure functions: no records are read here.
"""

import re
from datetime import date

HEAVY_GROSS_KG = 4500  # above this gross mass a truck needs a 道路运输证 and a qualified driver (交运规〔2019〕12号)
WARN_DAYS = 30  # a certificate expiring within this many days is announced to its carrier

# GB 32100: 31 characters (no I, O, S, V, Z), weights 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11643: weights 2^(17-i) mod 11, check characters by remainder.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# ISO 3779 / GB 16735 transliteration and weights (position 9 is the check digit, weight 0).
_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True))}
_VIN_VALUES.update(dict(zip("JKLMN", range(1, 6), strict=True)), P=7, R=9)
_VIN_VALUES.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
_PROVINCES |= {61, 62, 63, 64, 65}

# 车辆能源类型 codes of the ministry's data dictionary.
ENERGY_TYPES = {
    "A": "汽油",
    "B": "柴油",
    "C": "电",
    "D": "混合油",
    "E": "天然气",
    "F": "液化石油气",
    "L": "甲醇",
    "M": "乙醇",
    "N": "太阳能",
    "O": "混合动力",
    "Y": "无",
    "Z": "其他",
}
LICENCE_CLASSES = ("A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "C5", "C6", "D", "E", "F", "M", "N", "P")
# Classes that may drive a heavy truck (B2 and what includes it) and a tractor-trailer (A2 only).
HEAVY_CLASSES = ("A1", "A2", "B2")
TRACTOR_CLASSES = ("A2",)


class CertificateError(ValueError):
    """A certificate number that cannot be right (its message says why)."""


def uscc(value):
    """A unified social credit code, upper-cased, with its GB 32100 check character verified."""
    code = (value or "").strip().upper()
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        raise CertificateError("18 characters of 0-9 and A-Y without I, O, S, V, Z")
    if not code[2:8].isdigit() or int(code[2:4]) not in _PROVINCES:
        raise CertificateError("characters 3-8 must be a GB/T 2260 area code")
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    if _USCC_CHARS[(31 - total % 31) % 31] != code[17]:
        raise CertificateError("check character does not match (GB 32100)")
    return code


def id_number(value):
    """An 18-digit resident ID number with a real birth date and its GB 11643 check character verified."""
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise CertificateError("17 digits and a digit or X")
    if int(number[:2]) not in _PROVINCES:
        raise CertificateError("the first two digits are not a province")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise CertificateError("digits 7-14 are not a birth date") from None
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        raise CertificateError("check character does not match (GB 11643)")
    return number


def vin(value):
    """A 17-character VIN (no I, O, Q) with its check digit in position 9 verified (GB 16735)."""
    code = (value or "").strip().upper()
    if len(code) != 17 or any(ch not in _VIN_VALUES for ch in code):
        raise CertificateError("17 characters of 0-9 and A-Z without I, O, Q")
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(code, _VIN_WEIGHTS, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    if code[8] != check:
        raise CertificateError("check digit (position 9) does not match (GB 16735)")
    return code


def permit_number(value):
    """A 道路运输证 or 道路运输经营许可证 number: a GB/T 2260 area code and a 6-digit serial (12 digits)."""
    number = (value or "").strip()
    if not re.fullmatch(r"\d{12}", number) or int(number[:2]) not in _PROVINCES:
        raise CertificateError("12 digits starting with a GB/T 2260 area code")
    return number


def qualification_number(value):
    """A 从业资格证 number: provinces issue it as the holder's ID number, older ones as 12-19 digits."""
    number = (value or "").strip().upper()
    if len(number) == 18:
        return id_number(number)
    if not re.fullmatch(r"\d{12,19}", number):
        raise CertificateError("the holder's ID number or 12-19 digits")
    return number


def energy_type(value):
    if value not in ENERGY_TYPES:
        raise CertificateError("one of " + ", ".join(ENERGY_TYPES))
    return value


def licence_class(value):
    code = (value or "").strip().upper()
    if code not in LICENCE_CLASSES:
        raise CertificateError("a driving licence class such as A2 or B2")
    return code


VALIDATORS = {
    "credit_code": uscc,
    "id_number": id_number,
    "vin": vin,
    "transport_cert_no": permit_number,
    "business_permit_no": permit_number,
    "qualification_no": qualification_number,
    "energy_type": energy_type,
    "licence_class": licence_class,
}


def gross_kg(vehicle):
    """The truck's total mass: the registered gross mass, else tare plus rated load."""
    return getattr(vehicle, "gross_mass_kg", None) or (vehicle.tare_kg or 0) + (vehicle.rated_load_kg or 0)


def is_heavy(vehicle):
    return gross_kg(vehicle) > HEAVY_GROSS_KG


def _days_left(expires, today):
    return (date.fromisoformat(expires) - date.fromisoformat(today)).days


def papers(vehicle, driver):
    """(certificate key, label, number, expiry) of every certificate a heavy truck's dispatch depends on."""
    return [
        (
            "vehicle_transport_cert",
            "道路运输证 (road transport certificate)",
            vehicle.transport_cert_no,
            vehicle.transport_cert_expires,
        ),
        ("vehicle_vin", "VIN", vehicle.vin, "9999-12-31"),
        (
            "driver_licence",
            "驾驶证 (driving licence)",
            driver and driver.licence_class,
            driver and driver.licence_valid_until,
        ),
        (
            "driver_qualification",
            "从业资格证 (qualification certificate)",
            driver and driver.qualification_no,
            driver and driver.qualification_expires,
        ),
    ]


def problems(vehicle, driver, *, today):
    """What stops a heavy truck: [(certificate key, "missing"|"expired"|"wrong_class", message)]; [] when fit."""
    if not is_heavy(vehicle):
        return []
    found = []
    for key, label, number, expires in papers(vehicle, driver):
        if not number or not expires:
            found.append((key, "missing", f"{label} is missing"))
        elif _days_left(expires, today) < 0:
            found.append((key, "expired", f"{label} expired on {expires}"))
    if driver and driver.licence_class:
        allowed = TRACTOR_CLASSES if vehicle.vehicle_type == "tractor_trailer" else HEAVY_CLASSES
        if driver.licence_class not in allowed:
            found.append(("driver_licence", "wrong_class", f"licence class {driver.licence_class} cannot drive it"))
    return found


def expiring(vehicle, driver, *, today, days=WARN_DAYS):
    """[(certificate key, expiry, days left)] of certificates still valid but expiring within `days`."""
    soon = []
    for key, _, number, expires in papers(vehicle, driver):
        if number and expires and 0 <= _days_left(expires, today) <= days:
            soon.append((key, expires, _days_left(expires, today)))
    return soon


def lapsed(vehicle, driver, *, today):
    """[(certificate key, expiry)] of certificates recorded with a number whose expiry has passed."""
    return [
        (key, expires)
        for key, _, number, expires in papers(vehicle, driver)
        if number and expires and _days_left(expires, today) < 0
    ]


# -- completing numbers (demo data and test builders make valid ones from a random body) ---------------


def uscc_with_check(first17):
    """The 18-character USCC whose first 17 characters are given."""
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + _USCC_CHARS[(31 - total % 31) % 31]


def id_with_check(first17):
    """The 18-character ID number whose first 17 digits are given."""
    return first17 + _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def vin_with_check(body):
    """The 17-character VIN with the check digit written into position 9 of `body`."""
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(body, _VIN_WEIGHTS, strict=True))
    return body[:8] + ("X" if total % 11 == 10 else str(total % 11)) + body[9:]

"""What a new account may be: phone numbers, password policy, sign-in backoff (no DynamoDB)."""

import pytest

from backend.auth.passwords import blocklist, check_policy
from backend.auth.phones import normalise_phone
from backend.auth.service import backoff_seconds, validate_new_account
from backend.common.errors import ApiError


@pytest.mark.parametrize("raw", ["13800000000", "+86 138 0000 0000", "0086-138-0000-0000", "１３８００００００００"])
def test_a_mainland_mobile_is_kept_as_11_digits_however_it_is_typed(raw):
    assert normalise_phone(raw) == "13800000000"


@pytest.mark.parametrize(
    "raw", ["12800000000", "1380000000", "138000000001", "029-88888888", "", None, "+1 138 0000 0000"]
)
def test_what_is_not_a_mainland_mobile_is_none(raw):
    assert normalise_phone(raw) is None


def test_a_new_account_keeps_the_normalised_phone():
    assert validate_new_account(phone="+86 139 1234 5678", password="coal-truck-7", name=" 王师傅 ") == "13912345678"


@pytest.mark.parametrize(
    "phone,password,name,field",
    [
        ("12345", "long enough", "王", "phone"),
        ("13912345678", "1234567", "王", "password"),
        ("13912345678", None, "王", "password"),
        ("13912345678", "long enough", "  ", "name"),
    ],
)
def test_a_bad_account_field_is_a_400_naming_it(phone, password, name, field):
    with pytest.raises(ApiError) as refused:
        validate_new_account(phone=phone, password=password, name=name)
    assert refused.value.status == 400 and list(refused.value.details["fields"]) == [field]


@pytest.mark.parametrize("password", ["        ", "          x", "Password123", "woaini1314", "1234567", "x" * 200])
def test_blank_short_long_and_common_passwords_are_refused(password):
    if password == "          x":
        assert check_policy(password, min_length=8) is None  # spaces are fine inside a real password
        return
    with pytest.raises(ApiError) as refused:
        check_policy(password, min_length=8)
    assert list(refused.value.details["fields"]) == ["password"]


def test_the_blocklist_ships_hundreds_of_common_passwords():
    assert len(blocklist()) > 500 and {"123456789", "password", "qwertyuiop", "5201314"} <= blocklist()


def test_sign_in_backoff_is_free_at_first_then_doubles_up_to_the_cap():
    waits = [backoff_seconds(n, free=3, max_delay=900) for n in range(0, 16)]
    assert waits[:3] == [0, 0, 0] and waits[3:7] == [1, 2, 4, 8] and waits[-1] == 900


def test_an_unknown_number_costs_the_same_kdf_as_a_wrong_password():
    from backend.auth import passwords

    real = passwords.hash_password("coal-truck-7")
    assert passwords.verify(real, "coal-truck-7") and not passwords.verify(real, "wrong")
    assert passwords.verify(None, "coal-truck-7") is False

"""What a new account may be: phone numbers and passwords (no DynamoDB)."""

import pytest

from backend.auth.phones import normalise_phone
from backend.auth.service import validate_new_account
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
    assert validate_new_account(phone="+86 139 1234 5678", password="12345678", name=" 王师傅 ") == "13912345678"


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

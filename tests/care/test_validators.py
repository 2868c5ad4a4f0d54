import pytest
from django.core.exceptions import ValidationError

from care.validators import parse_mobile, validate_nhs_number, validate_register_number


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_nhs_numbers_pass_the_modulus_11_check(number):
    validate_nhs_number(number)


@pytest.mark.parametrize(
    "number, code",
    [
        ("9434765918", "nhs_check"),  # wrong check digit
        ("943476591", "nhs_format"),  # nine digits
        ("94347659190", "nhs_format"),  # eleven digits
        ("94347659A9", "nhs_format"),
        ("", "nhs_format"),
        ("1000000010", "nhs_check"),  # weighted sum leaves a check digit of 10: never issued
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_nhs_number(number)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "raw", ["07700 900123", "+44 7700 900123", "0044 7700 900123", "(07700) 900-123", " 07700900123 "]
)
def test_uk_mobiles_in_any_usual_shape_become_e164(raw):
    assert parse_mobile(raw) == "+447700900123"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("not a number", "phone_parse"),
        ("", "phone_parse"),
        ("0113 496 0000", "phone_not_mobile"),  # a Leeds landline cannot get texts
        ("07700 9001", "phone_invalid"),
        ("+44 7700 900123 999", "phone_invalid"),
    ],
)
def test_unusable_phone_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_mobile(raw)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "register, number, ok",
    [
        ("nmc", "12A3456E", True),
        ("nmc", "12a 3456e", True),
        ("nmc", "123456", False),
        ("hcpc", "PA123456", True),
        ("hcpc", "PA12", False),
        ("gmc", "1234567", True),
        ("gmc", "123456", False),
    ],
)
def test_professional_register_numbers_are_checked_for_format(register, number, ok):
    if ok:
        validate_register_number(register, number)
    else:
        with pytest.raises(ValidationError):
            validate_register_number(register, number)

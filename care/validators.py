"""Validators for identifiers people type in: NHS numbers, UK mobiles, professional registers."""
import re

import phonenumbers
from django.core.exceptions import ValidationError


def normalise_nhs_number(value):
    return re.sub(r"[\s-]", "", str(value or ""))


def validate_nhs_number(value):
    """Ten digits whose last is the modulus-11 check digit of the first nine."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("An NHS number has 10 digits, for example 943 476 5919.", code="nhs_format")
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1)))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ValidationError("This is not a valid NHS number: the check digit does not match.", code="nhs_check")


# Ofcom reserves 07700 900000-900999 for drama; libphonenumber calls them invalid, but
# the demo and the tests use them so that no real person is ever texted.
OFCOM_DRAMA_RANGE = re.compile(r"\+447700900\d{3}")


def parse_mobile(value, region="GB"):
    """Return the E.164 form of a mobile number, or raise ValidationError."""
    try:
        number = phonenumbers.parse(str(value or "").strip(), region)
    except phonenumbers.NumberParseException:
        raise ValidationError("Enter a mobile number such as 07700 900123 or +44 7700 900123.", code="phone_parse")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if OFCOM_DRAMA_RANGE.fullmatch(e164):
        return e164
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValidationError("That is not a valid phone number.", code="phone_invalid")
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError("Enter a mobile number: texts cannot reach a landline.", code="phone_not_mobile")
    return e164


def validate_mobile(value):
    parse_mobile(value)


REGISTER_FORMATS = {
    # NMC PIN: two digits, a letter, four digits, a letter (e.g. 12A3456E).
    "nmc": (re.compile(r"\d{2}[A-Z]\d{4}[A-Z]"), "An NMC PIN looks like 12A3456E."),
    # HCPC: a two-letter profession prefix and 5 or 6 digits (e.g. PA123456).
    "hcpc": (re.compile(r"[A-Z]{2}\d{5,6}"), "An HCPC number looks like PA123456."),
    # GMC reference number: seven digits.
    "gmc": (re.compile(r"\d{7}"), "A GMC number has 7 digits."),
}


def normalise_register_number(value):
    return re.sub(r"\s", "", str(value or "")).upper()


def validate_register_number(register, number):
    pattern, message = REGISTER_FORMATS[register]
    if not pattern.fullmatch(normalise_register_number(number)):
        raise ValidationError({"registration_number": message}, code="register_format")

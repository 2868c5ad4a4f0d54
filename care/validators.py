"""Validators for identifiers people type in: NHS numbers, UK mobiles, professional registers."""
import re

from django.core.exceptions import ValidationError

from notifications.phones import parse_mobile  # mobile numbers belong to notifications, which care stands on


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

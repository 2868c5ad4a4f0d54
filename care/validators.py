"""Validators for what people type in: NHS numbers, UK mobiles, professional registers, the
windows a date must fall in for what it means, and how long free text may be."""
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.phones import parse_mobile  # mobile numbers belong to notifications, which care stands on


def normalise_nhs_number(value):
    return re.sub(r"[\s-]", "", str(value or ""))


def validate_nhs_number(value):
    """Ten digits whose last is the modulus-11 check digit of the first nine (the NHS Data
    Dictionary's rule, the only one it documents), and not one digit repeated ten times.

    Every repeated-digit number passes the modulus-11 check (ten equal digits d weigh 54·d, and
    54 ≡ −1 mod 11, so the check digit comes out as d), and 000 000 0000 is what a form gets
    when someone does not know the number. We do not refuse by range: Scotland's CHI numbers
    share the format and begin with a day of birth, so a leading 0 is real.
    """
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("An NHS number has 10 digits, for example 943 476 5919.", code="nhs_format")
    if len(set(digits)) == 1:
        raise ValidationError("This is not a real NHS number: check it on the person's NHS letter or app.",
                              code="nhs_repeated")
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


# --- Dates: each has a window for what it means -------------------------------------------

MAX_AGE_YEARS = 120
BUDGET_MAX_YEARS = 5
BUDGET_START_WITHIN_YEARS = 3


def shift_years(day, years):
    """The same calendar day `years` later (earlier if negative); 29 February becomes the 28th;
    clamped to the dates Python can hold, so 9999-12-31 plus five years is not a crash."""
    year = day.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def validate_date_of_birth(value):
    today = timezone.localdate()
    if value > today:
        raise ValidationError("A date of birth cannot be in the future.", code="birth_future")
    if value < shift_years(today, -MAX_AGE_YEARS):
        raise ValidationError(f"A date of birth more than {MAX_AGE_YEARS} years ago cannot be right: check the year.",
                              code="birth_too_old")


def validate_budget_period(start, end, *, new=True):
    """A personal health budget covers at most five years. A new period starts within three
    years of today (either way): budgets are set up around now, so 1900 or 2999 is a typo.
    Raises one ValidationError naming `period_start` and/or `period_end`."""
    errors = {}
    if end <= start:
        errors["period_end"] = ValidationError("The period must end after it starts.", code="budget_order")
    elif end > shift_years(start, BUDGET_MAX_YEARS):
        errors["period_end"] = ValidationError(f"A budget period lasts at most {BUDGET_MAX_YEARS} years.",
                                               code="budget_too_long")
    today = timezone.localdate()
    if new and not (shift_years(today, -BUDGET_START_WITHIN_YEARS) <= start
                    <= shift_years(today, BUDGET_START_WITHIN_YEARS)):
        errors["period_start"] = ValidationError(
            f"A new budget period starts within {BUDGET_START_WITHIN_YEARS} years of today: check the year.",
            code="budget_start_window")
    if errors:
        raise ValidationError(errors)


def validate_within_last_year(value):
    """For records of what happened (a training session, an assessment): not in the future,
    and not more than a year ago, which is longer than any competency stays valid."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError("This date cannot be in the future.", code="date_future")
    if value < shift_years(today, -1):
        raise ValidationError("Record this within the last year: check the date.", code="date_too_old")


# --- Free text: nothing typed is longer than what it is for. TextFields need a
# MaxLengthValidator beside max_length: Django checks a TextField's max_length only in forms.

ADDRESS_MAX = 500
NOTES_MAX = 2000

"""Mobile numbers: what we can text, in the E.164 form the outbox and Twilio use."""
import re

import phonenumbers
from django.core.exceptions import ValidationError

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
    # Our sender is a UK number and the service is the NHS's: a valid number elsewhere (+1 202…)
    # would be stored, texted at international rates, or reach nobody we know.
    # (+44, not the region code: the Isle of Man and the Channel Islands share UK numbering, and
    # libphonenumber files some mainland mobile ranges under them.)
    if number.country_code != 44:
        raise ValidationError("Enter a UK mobile number (07… or +44 7…): we can only text UK mobiles.",
                              code="phone_not_uk")
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError("Enter a mobile number: texts cannot reach a landline.", code="phone_not_mobile")
    return e164

"""We text UK mobiles only: a valid number anywhere else is refused with a reason, not stored."""
import pytest
from django.core.exceptions import ValidationError

from notifications.phones import parse_mobile


@pytest.mark.parametrize("raw", ["+12025550100", "+1 202 555 0100", "+33 6 12 34 56 78", "+353 85 123 4567",
                                 "+61 412 345 678", "0033612345678"])
def test_a_mobile_outside_the_uk_is_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as exc:
        parse_mobile(raw)
    assert exc.value.code == "phone_not_uk"
    assert "UK mobile" in exc.value.messages[0]


@pytest.mark.parametrize("raw, e164", [
    ("07700 900123", "+447700900123"),  # Ofcom's drama range: the demo and the tests
    ("+44 7700 900123", "+447700900123"),
    ("07911 123456", "+447911123456"),
    ("+447400123456", "+447400123456"),
])
def test_uk_mobiles_are_accepted(raw, e164):
    assert parse_mobile(raw) == e164


def test_a_uk_landline_is_still_refused_as_a_landline():
    with pytest.raises(ValidationError) as exc:
        parse_mobile("0113 496 0000")
    assert exc.value.code == "phone_not_mobile"

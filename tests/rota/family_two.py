"""Family two's rota objects for the isolation walk (tests/care/test_isolation.py)."""
from employment.availability import Unavailability
from rota.models import CalendarFeed, Shift, ShiftPattern


def family_two_shift(cast):
    return Shift.objects.filter(recipient=cast["recipient"]).order_by("pk").first().pk


def family_two_calendar_token(cast):
    # The feed of family two's PA: opened inside a family-one session it must not answer.
    return CalendarFeed.objects.get(pa__username="other-pa", revoked_at__isnull=True).token


def family_two_pattern(cast):
    return ShiftPattern.objects.filter(recipient=cast["recipient"]).order_by("pk").first().pk


def family_two_unavailability(cast):
    return Unavailability.objects.filter(pa__username="other-pa").order_by("pk").first().pk


OBJECTS = {"shift_pk": family_two_shift, "token": family_two_calendar_token, "pattern_pk": family_two_pattern,
           "unavailability_pk": family_two_unavailability}

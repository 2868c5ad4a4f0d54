"""Family two's rota objects for the isolation walk (tests/care/test_isolation.py)."""
from employment.availability import Unavailability
from rota.models import CalendarFeed, Shift, ShiftPattern, Swap


def family_two_shift(cast):
    return Shift.objects.filter(recipient=cast["recipient"]).order_by("pk").first().pk


def family_two_calendar_token(cast):
    # The feed of family two's PA: opened inside a family-one session it must not answer.
    return CalendarFeed.objects.get(pa__username="other-pa", revoked_at__isnull=True).token


def family_two_pattern(cast):
    return ShiftPattern.objects.filter(recipient=cast["recipient"]).order_by("pk").first().pk


def family_two_unavailability(cast):
    return Unavailability.objects.filter(pa__username="other-pa").order_by("pk").first().pk


def family_two_swap(cast):
    # The demo has no swap: family two's PA drops one of their booked shifts (the walk asks again
    # for every route and role, so the first one made is reused).
    swap = Swap.objects.filter(shift__recipient=cast["recipient"]).order_by("pk").first()
    if swap is None:
        shift = Shift.objects.filter(recipient=cast["recipient"], pa__username="other-pa").order_by("pk").first()
        swap = Swap.objects.create(shift=shift, kind=Swap.Kind.DROP, from_pa=shift.pa, reason="Family two's reason",
                                   status=Swap.Status.DROPPED, shift_version=shift.version)
    return swap.pk


OBJECTS = {"shift_pk": family_two_shift, "token": family_two_calendar_token, "pattern_pk": family_two_pattern,
           "unavailability_pk": family_two_unavailability, "swap_pk": family_two_swap}

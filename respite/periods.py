"""Calendar arithmetic for respite periods and expiry, in local dates (Europe/London).

Periods and expiries are counted in calendar dates, never in hours, so a four-week period
that spans a clock change is 671 or 673 hours long and still starts at local midnight
(`care.kernel.clock.local_midnight`).
"""
import calendar
import datetime

from django.utils import timezone

# A first period starts within a year of the day the account is opened, either way: further back
# would credit years of hours at once, further ahead is a typo (a period starting in 9999).
PERIODS_START_WITHIN = datetime.timedelta(days=366)


def add_months(day, months):
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def nth_period_start(anchor, unit, length, n):
    """Start of the n-th period (n = 0 is the anchor). Counted from the anchor each time so month ends don't drift."""
    if unit == "week":
        return anchor + datetime.timedelta(weeks=length * n)
    if unit == "month":
        return add_months(anchor, length * n)
    if unit == "year":
        return add_months(anchor, 12 * length * n)
    raise ValueError(f"Unknown period unit {unit!r}")


def period_starts(anchor, unit, length, *, after=None, through):
    """Period start dates in (after, through], oldest first (from the anchor when `after` is None)."""
    n = 0
    while True:
        start = nth_period_start(anchor, unit, length, n)
        if start > through:
            return
        if after is None or start > after:
            yield start
        n += 1


def first_valid_expiry(end):
    """The earliest `expires_on` a lot may have and still cover a shift ending at `end`.

    Hours expire at local midnight starting their `expires_on` date, so a shift ending at
    exactly midnight may use hours expiring that day; one ending at 00:30 may not.
    """
    local_end = timezone.localtime(end)
    if local_end.time() == datetime.time.min:
        return local_end.date()
    return local_end.date() + datetime.timedelta(days=1)


def next_period_start(anchor, unit, length, *, after=None):
    """The first period start after `after` (the anchor itself when nothing has been credited)."""
    if after is None or after < anchor:
        return anchor
    n = 1
    while nth_period_start(anchor, unit, length, n) <= after:
        n += 1
    return nth_period_start(anchor, unit, length, n)

"""Local time (Europe/London): dates are counted on the calendar, never in hours, so a day that
spans a clock change is 23 or 25 hours long and still starts at local midnight. zoneinfo does
the arithmetic; these helpers only say which instant a local date or wall-clock time means."""
import datetime

from django.utils import timezone


def london():
    return timezone.get_default_timezone()


def local_midnight(day, days=0):
    """The aware instant the local day `day + days` begins."""
    return datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(0), tzinfo=london())


def add_days_local(at, days):
    """`days` calendar days after `at`, at the same local wall-clock time (clock changes handled)."""
    return timezone.localtime(at) + datetime.timedelta(days=days)

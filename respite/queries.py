"""Reads with intent for the respite pages: what the carer sees, in a fixed number of queries."""
import datetime
from collections import OrderedDict

from django.utils import timezone

from care.kernel.clock import local_midnight

from .models import ZERO, Lot
from .periods import add_months

EXPIRING_SOON_DAYS = 90


def accounts_with_balances(accounts):
    return accounts.with_balance().select_related("recipient", "carer").order_by("recipient__display_name", "carer__first_name", "pk")


def expiring_soon(account, *, today=None, days=EXPIRING_SOON_DAYS):
    """[(expires_on, hours)] for hours that expire within `days`, soonest first."""
    today = today or timezone.localdate()
    lots = account.lots.holding_hours().filter(expires_on__gt=today, expires_on__lte=today + datetime.timedelta(days=days))
    by_date = OrderedDict()
    for lot in lots:
        by_date[lot.expires_on] = by_date.get(lot.expires_on, ZERO) + lot.remaining
    return list(by_date.items())


def expiring_for_carer(user, recipients, *, today=None, days=30):
    """[(account, expires_on, hours)] of the user's own hours expiring within `days`, for the home page."""
    today = today or timezone.localdate()
    lots = (
        Lot.objects.holding_hours()
        .filter(account__carer=user, account__recipient__in=recipients, account__closed_on__isnull=True)
        .filter(expires_on__gt=today, expires_on__lte=today + datetime.timedelta(days=days))
        .select_related("account__recipient")
    )
    grouped = OrderedDict()
    for lot in lots:
        key = (lot.account, lot.expires_on)
        grouped[key] = grouped.get(key, ZERO) + lot.remaining
    return [(account, expires_on, hours) for (account, expires_on), hours in grouped.items()]


def upcoming_bookings(account, *, now=None):
    return account.bookings.upcoming(now).select_related("shift__pa", "decision__decided_by", "booked_by")


def statement(account):
    """Every entry, oldest first, each with its running balance and what it refers to."""
    return list(account.entries.statement().select_related("actor", "booking", "lot"))


def balance_series(rows, *, today=None, months=12):
    """(start instant, opening balance, [(instant, balance after)]) for the last `months` months."""
    today = today or timezone.localdate()
    since = local_midnight(add_months(today, -months))
    opening = ZERO
    points = []
    for row in rows:
        if row.at < since:
            opening = row.running_balance
        else:
            points.append((row.at, row.running_balance))
    return since, opening, points


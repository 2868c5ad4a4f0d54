"""What time does to respite hours: each period's allowance (up to the cap), the carry-over
trim, expiry, and the reminder 30 days before. Run by respite.jobs; idempotent throughout."""
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

import notifications

from . import ledger
from .models import EntryKind, ExpiryReminder, Lot, RespiteAccount, hours_text
from .periods import next_period_start, period_starts

REMIND_DAYS = 30


def account_link(account):
    return f"{settings.PUBLIC_BASE_URL}{reverse('respite:account', args=[account.pk])}"


def _last_credited(account):
    return account.entries.filter(kind=EntryKind.CREDIT).aggregate(last=Max("period_start"))["last"]


@transaction.atomic
def settle_account(*, account, now=None):
    """Bring one account up to date.

    For each period begun and not yet credited, oldest first: expire what is due by its start,
    trim to the carry-over limit, credit the allowance up to the cap. Then expire whatever else
    is due today. Running it twice changes nothing: a period's credit exists once (unique key),
    and expiry takes only what a lot still holds, read under the lock.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    account = ledger.lock_account(account)
    credited = 0
    last_day = min(today, account.closed_on) if account.closed_on else today
    for start in period_starts(
        account.periods_start_on, account.period_unit, account.period_length,
        after=_last_credited(account), through=last_day,
    ):
        ledger.expire_due(account, today=start, now=now)
        if start != account.periods_start_on:
            ledger.trim_carry_over(account, period_start=start, now=now)
        ledger.credit_period(account, period_start=start, now=now)
        credited += 1
    expired = len(ledger.expire_due(account, today=today, now=now))
    return {"credited": credited, "expired": expired}


def accounts_due(now=None):
    """Accounts with a period begun and not yet credited, or hours past their expiry (two queries)."""
    today = timezone.localdate(now or timezone.now())
    due = set(Lot.objects.holding_hours().filter(expires_on__lte=today).values_list("account_id", flat=True))
    accounts = RespiteAccount.objects.annotate(
        last_credit=Max("entries__period_start", filter=Q(entries__kind=EntryKind.CREDIT))
    ).only("pk", "periods_start_on", "period_unit", "period_length", "closed_on")
    for account in accounts:
        next_start = next_period_start(
            account.periods_start_on, account.period_unit, account.period_length, after=account.last_credit
        )
        if next_start <= today and (account.closed_on is None or next_start <= account.closed_on):
            due.add(account.pk)
    return RespiteAccount.objects.filter(pk__in=due).order_by("pk")


def send_expiry_reminders(*, now=None):
    """Text each carer once, 30 days ahead, about hours that will expire (one text per account and date)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    already = ExpiryReminder.objects.filter(account=OuterRef("account"), expires_on=OuterRef("expires_on"))
    lots = (
        Lot.objects.holding_hours()
        .filter(expires_on__gt=today, expires_on__lte=today + datetime.timedelta(days=REMIND_DAYS))
        .filter(account__closed_on__isnull=True)
        .exclude(Exists(already))
        .select_related("account__carer", "account__recipient")
    )
    due = {}
    for lot in lots:
        key = (lot.account, lot.expires_on)
        due[key] = due.get(key, 0) + lot.remaining
    sent = 0
    for (account, expires_on), hours in due.items():
        sent += _remind(account=account, expires_on=expires_on, hours=hours, now=now)
    return sent


@transaction.atomic
def _remind(*, account, expires_on, hours, now):
    # The reminder row is the claim: a second worker (or run) finds it and sends nothing.
    _, created = ExpiryReminder.objects.get_or_create(
        account=account, expires_on=expires_on, defaults={"hours": hours, "sent_at": now}
    )
    if not created:
        return 0
    notifications.send_sms(
        user=account.carer,
        body=f"paworkflow: {hours_text(hours)} of your respite expire on {expires_on:%d %b}. "
        f"Ref H{account.pk}. Book cover: {account_link(account)}",
        purpose="respite_expiry",
        idempotency_key=f"respite-expiry-{account.pk}-{expires_on:%Y%m%d}",
        recipient=account.recipient,
    )
    return 1

"""The respite section of everyone's home page: hours about to expire, requests to approve."""
from django.urls import reverse
from django.utils import timezone

from care import home
from care.kernel.names import person_name

from .access import approvable_bookings, visible_accounts
from .models import hours_text
from .queries import accounts_with_balances, expiring_for_carer

URGENT_DAYS = 7


@home.register("Respite hours")
def respite_attention(user, recipients):
    today = timezone.localdate()
    items = []
    for booking in approvable_bookings(user).filter(account__recipient__in=recipients).select_related(
        "account__carer", "account__recipient"
    ):
        account = booking.account
        items.append(home.Attention(
            title=f"{person_name(account.carer)} asks for respite for {account.recipient} ({booking.reference})",
            detail=f"{timezone.localtime(booking.start):%a %d %b %H:%M}–{timezone.localtime(booking.end):%H:%M}, "
            f"{hours_text(booking.hours)}: approve or decline",
            url=reverse("respite:account", args=[account.pk]),
            urgent=True,
        ))
    for account, expires_on, hours in expiring_for_carer(user, recipients, today=today):
        items.append(home.Attention(
            title=f"{hours_text(hours)} of respite for {account.recipient} expire on {expires_on:%d %b %Y}",
            detail="Book cover before then, or the hours are lost.",
            url=reverse("respite:account", args=[account.pk]),
            urgent=(expires_on - today).days <= URGENT_DAYS,
        ))
    # The way in: the carer's own balance, and each overseen person's accounts.
    overseen = {}
    for account in accounts_with_balances(visible_accounts(user).filter(recipient__in=recipients)):
        if account.carer_id == user.pk:
            items.append(home.Attention(
                title=f"Your respite hours for {account.recipient}: {hours_text(account.balance)}",
                detail="Bank them, and book cover when you choose.",
                url=reverse("respite:account", args=[account.pk]),
            ))
        else:
            overseen.setdefault(account.recipient, []).append(account)
    for recipient, accounts in overseen.items():
        items.append(home.Attention(
            title=f"Carers' respite accounts for {recipient}",
            detail=", ".join(f"{person_name(a.carer)} {hours_text(a.balance)}" for a in accounts),
            url=reverse("respite:person", args=[recipient.pk]),
        ))
    return items

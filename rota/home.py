"""The rota's section on everyone's home page: shifts needing cover, swaps to approve or answer, offers
waiting, my next shifts."""
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from care.home import Attention, register
from care.permissions import recipients_for

from .models import Shift, Swap
from .queries import offers_waiting_for, swaps_asked_of
from .templatetags.rota_tags import shift_times


def _label(shift):
    return f"{shift.recipient.display_name}: {timezone.localtime(shift.start):%a %d %b} {shift_times(shift)}"


@register("Rota")
def rota_attention(user, recipients):
    items = []
    managed = recipients_for(user, "manage_rota").filter(pk__in=[r.pk for r in recipients])
    for shift in Shift.objects.needing_cover().filter(recipient__in=managed).select_related("recipient")[:10]:
        items.append(Attention(
            title=f"Needs cover — {_label(shift)}", detail=shift.cover_reason,
            url=reverse("rota:shift", args=[shift.pk]), urgent=True,
        ))
    open_counts = (
        Shift.objects.open().filter(recipient__in=managed).values("recipient", "recipient__display_name")
        .annotate(n=Count("pk")).order_by("recipient__display_name")
    )
    for row in open_counts:
        items.append(Attention(title=f"{row['recipient__display_name']}: {row['n']} open shift(s) without a PA",
                               url=reverse("rota:week", args=[row["recipient"]])))
    to_approve = Swap.objects.filter(status=Swap.Status.ACCEPTED, shift__recipient__in=managed,
                                     shift__start__gt=timezone.now()).select_related("shift__recipient")
    for swap in to_approve.order_by("shift__start")[:5]:
        items.append(Attention(title=f"Swap to approve — {_label(swap.shift)}",
                               url=reverse("rota:shift", args=[swap.shift_id]), urgent=True))
    worked = recipients_for(user, "work_shifts")
    for swap in swaps_asked_of(user, worked)[:5]:
        items.append(Attention(title=f"Asked to take over a shift — {_label(swap.shift)}",
                               url=reverse("rota:shift", args=[swap.shift_id]), urgent=False))
    for shift in offers_waiting_for(user, worked)[:5]:
        items.append(Attention(title=f"Shift offered to you — {_label(shift)}",
                               url=reverse("rota:shift", args=[shift.pk]), urgent=False))
    upcoming = Shift.objects.booked_for(user).upcoming().filter(recipient__in=worked, needs_cover=False)
    for shift in upcoming.select_related("recipient")[:3]:
        items.append(Attention(title=f"Your next shift — {_label(shift)}",
                               url=reverse("rota:shift", args=[shift.pk])))
    return items

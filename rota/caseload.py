"""The rota's rows on the coordinator's caseload (care.caseload): shifts in the next 7 days that
nobody is booked to work, and budgets forecast to overspend. One query each, whatever the number
of families."""
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from care import caseload
from care.kernel.clock import local_midnight

from .models import BudgetForecast, Shift

COVER_DAYS = 7


@caseload.source("cover", "Shifts needing cover in the next 7 days")
def shifts_needing_cover(recipient_ids, today):
    now = timezone.now()
    # flagged (a lapsed competency, a PA who left or is off) or still without a PA
    uncovered = (Shift.objects.needing_cover(now) | Shift.objects.open(now)).filter(
        recipient__in=recipient_ids, start__lt=local_midnight(today, days=COVER_DAYS + 1))
    rows = uncovered.order_by().values("recipient_id").annotate(shifts=Count("pk"), first=Min("start"))
    for row in rows:
        first = timezone.localtime(row["first"])
        count = row["shifts"]
        yield caseload.Attention(
            recipient_id=row["recipient_id"], kind="cover", level=caseload.NOW, when=first.date(),
            title=f"{count} shift{'s' if count != 1 else ''} need{'' if count != 1 else 's'} cover, the first "
            f"{first:%a %d %b %H:%M}",
            url=reverse("rota:week", args=[row["recipient_id"]]) + f"?week={first.date().isoformat()}",
        )


@caseload.source("overspend", "Budgets forecast to overspend")
def budgets_forecast_to_overspend(recipient_ids, today):
    """From the forecasts rota.jobs.refresh_budget_forecasts stores (actual_against_plan costs a dozen
    queries a budget, too many to run per family here): one query."""
    forecasts = BudgetForecast.objects.filter(
        recipient__in=recipient_ids, overspend__gt=0, budget__period_start__lte=today, budget__period_end__gt=today,
    ).order_by("recipient_id", "budget__period_start")
    for forecast in forecasts.values("recipient_id", "overspend", "computed_at"):
        yield caseload.Attention(
            recipient_id=forecast["recipient_id"], kind="overspend", level=caseload.NOW,
            when=timezone.localdate(forecast["computed_at"]),
            title=f"Forecast overspend £{forecast['overspend']:,.2f}",
            url=reverse("rota:budget", args=[forecast["recipient_id"]]),
        )

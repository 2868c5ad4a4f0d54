"""The rota's periodic jobs (Celery beat in production, the embedded scheduler otherwise). All are idempotent."""
import datetime

from django.utils import timezone

from care.kernel.clock import local_midnight
from care.models import PersonalHealthBudget
from paworkflow.periodic import every

from . import services
from .models import BudgetForecast, Offer, ReminderChoice, RotaChange, RotaSettings, Shift
from .payroll import actual_against_plan

# Pages further behind than the kept log get a snapshot instead of a replay.
CHANGE_LOG_KEPT = datetime.timedelta(days=2)


@every(600)
def complete_past_shifts():
    """Booked shifts that have ended become "completed"; the service re-checks under the row lock."""
    due = Shift.objects.filter(status=Shift.Status.CONFIRMED, end__lte=timezone.now()).order_by("pk")
    return sum(services.complete_shift(shift=shift) for shift in due[:500])


@every(3600)
def prune_change_log():
    deleted, _ = RotaChange.objects.filter(at__lt=timezone.now() - CHANGE_LOG_KEPT).delete()
    return deleted


@every(300)
def follow_up_offers():
    """Offers nobody has taken by each family's follow-up time (default 12 hours before the start):
    the budget holders hear it once (follow_up_offer claims the offer before it texts)."""
    now = timezone.now()
    latest = now + datetime.timedelta(hours=168)  # the largest follow-up time a family can choose
    due = (
        Offer.objects.filter(closed_at__isnull=True, followed_up_at__isnull=True,
                             shift__status=Shift.Status.OFFERED, shift__start__gt=now, shift__start__lte=latest)
        .select_related("shift__recipient__rota_settings").order_by("shift__start")
    )
    done = 0
    for offer in due[:500]:
        settings_row = getattr(offer.shift.recipient, "rota_settings", None)
        hours = settings_row.offer_follow_up_hours if settings_row else RotaSettings.DEFAULT_FOLLOW_UP_HOURS
        # An offer made inside the window gets half its remaining time before the follow-up.
        follow_up_at = offer.shift.start - datetime.timedelta(hours=hours)
        if offer.created_at > follow_up_at:
            follow_up_at = offer.created_at + (offer.shift.start - offer.created_at) / 2
        if now >= follow_up_at:
            done += services.follow_up_offer(offer=offer, now=now)
    return done


@every(900)
def send_day_before_reminders():
    """Each PA booked on a shift tomorrow (UK date) gets one text once their chosen time today has
    come (default 18:00; they can switch it off). Safe to run often and twice: the outbox key sends once."""
    now = timezone.localtime()
    tomorrow = now.date() + datetime.timedelta(days=1)
    shifts = (
        Shift.objects.filter(status=Shift.Status.CONFIRMED, needs_cover=False,
                             start__gte=local_midnight(tomorrow), start__lt=local_midnight(tomorrow, days=1))
        .select_related("pa", "recipient").order_by("start")
    )
    choices = {c.pa_id: c for c in ReminderChoice.objects.filter(pa__in={s.pa_id for s in shifts})}
    sent = 0
    for shift in shifts:
        choice = choices.get(shift.pa_id) or ReminderChoice(pa=shift.pa)
        if choice.on and now.time() >= choice.at:
            sent += services.send_day_before_reminder(shift=shift) is not None
    return sent


@every(3600)
def refresh_budget_forecasts():
    """Each live budget's actual spend and forecast (rota.payroll.actual_against_plan), stored for the
    caseload to read in one query. Upserts one row a budget: running it twice changes nothing more."""
    now = timezone.now()
    today = timezone.localdate(now)
    live = (PersonalHealthBudget.objects.filter(period_start__lte=today, period_end__gt=today)
            .exclude(ended_on__lte=today).select_related("recipient").order_by("pk"))
    count = 0
    for budget in live:
        refresh_forecast(budget, now=now)
        count += 1
    # Budgets no longer live keep no forecast: nothing on the caseload should read a stale one.
    BudgetForecast.objects.exclude(budget__in=live.values("pk")).delete()
    return count


def refresh_forecast(budget, *, now=None):
    now = now or timezone.now()
    report = actual_against_plan(budget, now=now)
    BudgetForecast.objects.update_or_create(budget=budget, defaults={
        "recipient_id": budget.recipient_id, "computed_at": now, "budget_total": budget.amount,
        "actual_to_date": report.total_actual, "forecast_total": report.forecast, "overspend": report.overspend,
    })

"""Reads with intent for hospital agreements: a person's list, a user's own, the tasks a PA may
be asked about, the days to plan, and what is overdue."""
import datetime

from django.utils import timezone

from care.kernel.clock import local_midnight
from competencies.models import Competency
from rota.models import Shift
from rota.queries import local_instant

from . import permissions
from .models import IN_FORCE, OPEN_STATES, HomeShift, HospitalAgreement, HospitalTaskDecision

PLAN_DAYS = 28  # the rota plans four weeks ahead; a longer stay is planned again from the rota


def signed_off_tasks(recipient, pas, at=None):
    """The named PAs' signed-off, unexpired delegated tasks for this person: one query."""
    at = at or timezone.now()
    return (
        Competency.objects.signed_off()
        .filter(recipient=recipient, pa__in=[pa.pk for pa in pas], valid_from__lte=at, valid_until__gt=at)
        .select_related("task", "pa")
        .order_by("pa__first_name", "pa__pk", "task__name")
    )


def _listed(qs):
    return qs.select_related("recipient", "ward_manager", "requested_by").prefetch_related("pas").order_by("-created")


def agreements_for(user, recipient):
    """One person's agreements this user may see: three queries at any number of agreements."""
    return _listed(HospitalAgreement.objects.filter(permissions.visible_filter(user, recipient)).distinct())


def for_pa(user):
    """Agreements naming this PA that are open or in force, across everyone they work for."""
    return _listed(HospitalAgreement.objects.filter(pas=user, state__in=OPEN_STATES).distinct())


def for_ward(user):
    """Agreements sent to this ward manager that wait for them or are in force."""
    return _listed(HospitalAgreement.objects.filter(ward_manager=user, state__in=OPEN_STATES))


def open_agreement(recipient):
    """The person's agreement still open (waiting or in force), if any: there is at most one."""
    return HospitalAgreement.objects.filter(recipient=recipient, state__in=OPEN_STATES).order_by("-pk").first()


def decisions(agreement):
    return agreement.task_decisions.select_related("pa", "task").order_by("pa__first_name", "pa__pk", "task__name")


def allowed_tasks_by_pa(agreement):
    """pa id -> the tasks the ward allows that PA on the ward. Kept tasks never reach a shift."""
    allowed = {}
    for row in HospitalTaskDecision.objects.filter(agreement=agreement, ward_allows=True).select_related("task"):
        allowed.setdefault(row.pa_id, []).append(row.task)
    return allowed


def shift_times(agreement, day):
    """The ward's daily hours on `day`, as aware instants (an overnight stay ends the next day);
    None for an instant the clocks skip."""
    end_day = day + datetime.timedelta(days=1) if agreement.present_until <= agreement.present_from else day
    return local_instant(day, agreement.present_from), local_instant(end_day, agreement.present_until)


def plan_days(agreement, now=None):
    """The days hospital shifts can be planned for: from admission to the expected discharge, at
    most four weeks, leaving out any day whose hours on the ward have already begun (a time
    already past is not offered)."""
    now = now or timezone.now()
    first = max(agreement.admission_date, timezone.localdate(now))
    last = min(agreement.expected_discharge, first + datetime.timedelta(days=PLAN_DAYS - 1))
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    if agreement.present_from is None or agreement.present_until is None:
        return days
    return [day for day in days if (shift_times(agreement, day)[0] or now) > now]


def home_shifts_during(agreement, now=None):
    """The person's home shifts inside the admission, not yet begun: from the admission (or now)
    to the end of the expected discharge day; not hospital shifts, not cancelled or completed."""
    now = now or timezone.now()
    return list(
        Shift.objects.filter(recipient_id=agreement.recipient_id,
                             start__gte=max(local_midnight(agreement.admission_date), now),
                             start__lt=local_midnight(agreement.expected_discharge, days=1))
        .exclude(kind=Shift.Kind.HOSPITAL).exclude(status__in=[Shift.Status.CANCELLED, Shift.Status.COMPLETED])
        .select_related("pa").prefetch_related("tasks").order_by("start", "pk")
    )


def home_shifts_to_offer_back(agreement, now=None):
    """After discharge: the home shifts cancelled or turned for the admission whose own times fall
    after the discharge day and are still ahead, not yet put back."""
    after = local_midnight(agreement.discharged_on, days=1) if agreement.discharged_on else None
    now = now or timezone.now()
    rows = agreement.home_shifts.filter(choice__in=[HomeShift.Choice.CANCEL, HomeShift.Choice.TURN],
                                        restored__isnull=True).select_related("shift")
    return [row for row in rows if after and row.was_start() >= max(after, now)]


def warnings(agreement):
    found = []
    if agreement.insurance_lapses_early():
        found.append(f"The insurance expires on {agreement.insurance_expires:%d %b %Y}, before the expected discharge "
                     f"({agreement.expected_discharge:%d %b %Y}): renew it, or the PAs are not covered on the ward.")
    return found


def overdue_for_discharge(today):
    """In force past the expected discharge, with no discharge planned (a planned one ends by itself)."""
    return (
        HospitalAgreement.objects.filter(state__in=IN_FORCE, expected_discharge__lt=today,
                                          planned_discharge__isnull=True)
        .select_related("recipient", "ward_manager")
        .order_by("pk")
    )


def recent_shifts(agreement):
    return [link.shift for link in agreement.hospital_shifts.select_related("shift__pa").order_by("shift__start")]


def _live_hospital_shifts(agreement):
    return (Shift.objects.filter(hospital_agreement_link__agreement=agreement)
            .exclude(status__in=[Shift.Status.CANCELLED, Shift.Status.COMPLETED])
            .select_related("pa").order_by("start", "pk"))


def shifts_to_come(agreement, now=None):
    """The agreement's hospital shifts not over yet (one in progress counts)."""
    return list(_live_hospital_shifts(agreement).filter(end__gt=now or timezone.now()))


def shifts_after(agreement, day):
    """The agreement's hospital shifts not cancelled or completed that start on a local day after
    `day`: what a discharge on `day` cancels. Shifts up to and on the discharge day stand."""
    return list(_live_hospital_shifts(agreement).filter(start__gte=local_midnight(day, days=1)))


def shifts_standing(agreement, day, now=None):
    """The agreement's hospital shifts still to come that start on or before `day`: they stand."""
    return list(_live_hospital_shifts(agreement).filter(start__lt=local_midnight(day, days=1),
                                                        end__gt=now or timezone.now()))


def planned_discharges_due(today):
    return HospitalAgreement.objects.filter(state__in=IN_FORCE, planned_discharge__lte=today).order_by("pk")


def printable(agreement):
    """Everything the printed agreement carries beyond its terms, in a fixed number of queries:
    each PA with what they will and will not do and when they confirmed the ward's conditions,
    the planned shifts, and the suspensions."""
    rows = list(decisions(agreement))
    read = {row.pa_id: row.at for row in agreement.conditions_read.all()}
    pas = [{"pa": pa, "will": [r.task for r in rows if r.pa_id == pa.pk and r.ward_allows],
            "will_not": [r.task for r in rows if r.pa_id == pa.pk and not r.ward_allows], "read_at": read.get(pa.pk)}
           for pa in agreement.pas.order_by("first_name", "pk")]
    shifts = list(Shift.objects.filter(hospital_agreement_link__agreement=agreement).select_related("pa")
                  .order_by("start", "pk"))
    suspensions = list(agreement.events.filter(kind__in=["suspended", "resumed"]).select_related("actor"))
    return {"decisions": rows, "pas": pas, "shifts": shifts, "suspensions": suspensions}

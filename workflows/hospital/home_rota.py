"""The person's home rota during an admission. When the hospital shifts are planned, the family
chooses for each home shift inside the stay: keep it, cancel it, or turn it into that day's
hospital shift (same PA, the ward's hours, only the tasks the ward allows). Every clash and
every impossible choice is reported together. At discharge the home shifts after it are offered
back. Called by services.fund inside its transaction, and by the discharged agreement's page.
"""
import collections

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from care.kernel.names import person_name
from care.permissions import can
from competencies.models import HealthcareTask
from rota import services as rota
from rota.models import Shift

from . import permissions, queries, texts
from .models import HomeShift, HospitalShift
from .records import audit


def _day(shift):
    return timezone.localdate(shift.start)


def _who(shift):
    return person_name(shift.pa) if shift.pa_id else "the open shift"


def choice_errors(agreement, home, choices, plan, pas):
    """Why these choices cannot be carried out, every reason at once ([] when they can).
    `choices` maps home shift ids to HomeShift.Choice values; `plan` maps days to PAs or None."""
    errors = []
    if set(choices) != {shift.pk for shift in home}:
        return ["The home rota changed since this page was opened, or a home shift has no choice: check the "
                "home shifts and choose for each one."]
    days = set(queries.plan_days(agreement))
    turned = collections.Counter()
    for shift in home:
        choice, day = choices[shift.pk], _day(shift)
        if choice not in HomeShift.Choice.values:
            errors.append(f"Choose keep, cancel or turn for the home shift on {day:%a %d %b}.")
        elif choice == HomeShift.Choice.TURN:
            planned = plan.get(day)
            if shift.pa_id not in pas:
                errors.append(f"{_who(shift).capitalize()} on {day:%a %d %b} is not a PA named in the agreement: "
                              "keep or cancel that home shift.")
            elif day not in days:
                errors.append(f"The ward's hours on {day:%a %d %b} have begun or fall outside the stay: keep or "
                              "cancel that home shift.")
            elif planned is not None and planned.pk != shift.pa_id:
                errors.append(f"On {day:%a %d %b} you turned {_who(shift)}'s home shift into the hospital shift and "
                              f"also planned {person_name(planned)}: choose one.")
            turned[day] += 1
    errors += [f"On {day:%a %d %b} only one home shift can become the hospital shift."
               for day, count in sorted(turned.items()) if count > 1]
    return errors


def settle(*, agreement, actor, home, choices, allowed):
    """Carry out the family's choices (checked by choice_errors). Returns (refusals, the PA id of
    each day whose home shift became the hospital shift, the days of the home shifts each PA lost)."""
    refusals, turned, cancelled = [], {}, collections.defaultdict(list)
    location = f"{agreement.ward}, {agreement.hospital}"[:200]
    for shift in home:
        choice = choices[shift.pk]
        HomeShift.objects.create(agreement=agreement, shift=shift, choice=choice, was=HomeShift.snapshot(shift))
        if choice == HomeShift.Choice.CANCEL:
            rota.cancel_shift(shift=shift, actor=actor, reason=f"In hospital: agreement {agreement.reference}",
                              tell_pa=False)
            if shift.pa_id:
                cancelled[shift.pa_id].append(_day(shift))
        elif choice == HomeShift.Choice.TURN:
            day = _day(shift)
            start, end = queries.shift_times(agreement, day)
            try:
                rota.update_shift(shift=shift, actor=actor, expected_version=shift.version, start=start, end=end,
                                  kind=Shift.Kind.HOSPITAL, tasks=allowed.get(shift.pa_id, ()), location=location,
                                  notes=f"Hospital agreement {agreement.reference}", tell_pa=False)
            except ValidationError as refusal:
                refusals += [f"{_who(shift).capitalize()}'s home shift on {day:%a %d %b}: {m}" for m in refusal.messages]
                continue
            HospitalShift.objects.create(agreement=agreement, shift=shift)
            turned[day] = shift.pa_id
    return refusals, turned, cancelled


@transaction.atomic
def restore(*, agreement, actor, ids):
    """Put the chosen home shifts back on the rota after discharge, each PA booked again through
    the rota's gate (a clash or a lapsed competency is reported, every one at once, and nothing
    is restored). Each PA is texted once."""
    if not permissions.may_start(actor, agreement.recipient):
        raise PermissionDenied("Only the family can put home shifts back on the rota.")
    offered = {row.pk: row for row in queries.home_shifts_to_offer_back(agreement)}
    wanted = [offered[int(pk)] for pk in ids if str(pk).isdigit() and int(pk) in offered]
    if not wanted:
        raise ValidationError("Choose the home shifts to put back.")
    refusals, days_of = [], collections.defaultdict(list)
    for row in HomeShift.objects.select_for_update().filter(pk__in=[r.pk for r in wanted], restored__isnull=True):
        was = row.was
        pa = row.shift.pa if was["pa"] and row.shift.pa_id == was["pa"] else None
        if pa is not None and not can(pa, "work_shifts", agreement.recipient):
            pa = None
        try:
            shift = rota.create_shift(
                recipient=agreement.recipient, start=row.was_start(), end=row.was_end(), kind=was["kind"],
                actor=actor, tasks=HealthcareTask.objects.filter(pk__in=was["tasks"]), pa=pa,
                notes=was["notes"], location=was["location"], tell_pa=False)
        except ValidationError as refusal:
            refusals += [f"{row.was_start():%a %d %b %H:%M}: {m}" for m in refusal.messages]
            continue
        row.restored = shift
        row.save(update_fields=["restored"])
        if pa is not None:
            days_of[pa].append(timezone.localdate(shift.start))
    if refusals:
        raise ValidationError(refusals)
    for pa, days in days_of.items():
        texts.to_user(agreement, pa, f"home-back-{min(days):%Y%m%d}", texts.home_shifts_back(agreement, days))
    audit(agreement, actor, "home_rota_back", f"{len(wanted)} home shift(s) put back on the rota after discharge")

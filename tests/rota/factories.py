"""Arrangement helpers for rota tests: shifts straight into the table (to set a scene, not to test
the rules), and signed-off competencies as the competencies app would leave them."""
import datetime

import factory
from django.utils import timezone

from competencies.models import Competency, HealthcareTask
from rota.models import Shift
from rota.queries import local_instant
from tests.factories import CareRecipientFactory, UserFactory


def _a_future_year_starting_march_on_a_monday():
    """Tests book shifts, which must not have ended: use a year ahead where 1 March is a Monday,
    so "Mon 01 Mar" always reads the same and the clocks go forward on Sunday 28 March."""
    year = datetime.date.today().year + 1
    while datetime.date(year, 3, 1).weekday() != 0:
        year += 1
    return year


YEAR = _a_future_year_starting_march_on_a_monday()


def at(day, hour, minute=0):
    """An aware London instant, e.g. at(f"{YEAR}-03-01", 8)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return local_instant(day, datetime.time(hour, minute))


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    recipient = factory.SubFactory(CareRecipientFactory)
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    end = factory.LazyAttribute(lambda s: s.start + datetime.timedelta(hours=6))
    kind = Shift.Kind.DAY
    status = factory.LazyAttribute(lambda s: Shift.Status.CONFIRMED if s.pa else Shift.Status.DRAFT)
    pa = None


def task(code="tracheostomy-suction"):
    return HealthcareTask.objects.get(code=code)


def signed_off(pa, recipient, task, valid_from, valid_until, clinician=None):
    """A signed-off competency valid over [valid_from, valid_until)."""
    clinician = clinician or UserFactory()
    return Competency.objects.create(
        pa=pa, recipient=recipient, task=task, status="signed_off", signed_off_by=clinician,
        signed_off_at=valid_from, valid_from=valid_from, valid_until=valid_until,
    )

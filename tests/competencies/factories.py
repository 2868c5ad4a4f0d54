"""Competencies for tests: a factory for rows (lists, query counts) and a helper that earns a
sign-off the real way, through the services (training, assessment, sign-off)."""
import datetime

import factory
from django.utils import timezone

from competencies import services
from competencies.models import Competency, HealthcareTask, Status
from tests.factories import CareRecipientFactory, UserFactory


def catalogue(code):
    return HealthcareTask.objects.get(code=code)


class CompetencyFactory(factory.django.DjangoModelFactory):
    """A signed-off competency row valid from a day ago for a year (no history rows)."""

    class Meta:
        model = Competency

    # password=None: an unusable password, so no (deliberately slow) hashing for bulk rows
    pa = factory.SubFactory(UserFactory, password=None)
    recipient = factory.SubFactory(CareRecipientFactory)
    task = factory.LazyFunction(lambda: catalogue("nebuliser"))
    status = Status.SIGNED_OFF
    signed_off_by = factory.SubFactory(UserFactory, password=None)
    signed_off_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    valid_from = factory.SelfAttribute("signed_off_at")
    valid_until = factory.LazyAttribute(lambda c: c.valid_from + datetime.timedelta(days=365))


def earn_sign_off(*, pa, recipient, task, clinician, at=None):
    """Train, assess and sign off through competencies.services, as the delegation flow does."""
    competency = services.start_training(pa=pa, recipient=recipient, task=task, actor=clinician)
    services.record_training(
        competency=competency, trainer=clinician, trained_on=timezone.localdate(), method="supervised_practice",
        supervised_practices=task.supervised_practices_required,
    )
    services.record_assessment(
        competency=competency, assessor=clinician, assessed_on=timezone.localdate(),
        results={criterion: True for criterion in task.criteria},
    )
    services.sign_off(competency=competency, actor=clinician, at=at)
    competency.refresh_from_db()
    return competency

"""factory-boy factories for respite. Accounts are arranged directly; hours arrive through services."""
import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from respite.models import CarerAssessment, Eligibility, PeriodUnit, RespiteAccount
from tests.factories import CareRecipientFactory, UserFactory



def local(year, month, day, hour=0, minute=0):
    """An aware Europe/London instant (the project's TIME_ZONE) for a wall-clock time."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class RespiteAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RespiteAccount

    recipient = factory.SubFactory(CareRecipientFactory)
    carer = factory.SubFactory(UserFactory)
    allowance_hours = Decimal("8.00")
    period_length = 4
    period_unit = PeriodUnit.WEEK
    periods_start_on = factory.LazyFunction(timezone.localdate)
    expiry_months = 12


class CarerAssessmentFactory(factory.django.DjangoModelFactory):
    """An eligible carer's assessment agreeing 8 hours every 4 weeks, reviewed in a year."""

    class Meta:
        model = CarerAssessment

    recipient = factory.SubFactory(CareRecipientFactory)
    carer = factory.SubFactory(UserFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    assessor = "A. Assessor, adult social care (test)"
    able_to_continue = True
    willing_to_continue = True
    impact = "Broken sleep most nights."
    outcomes = "A day a month to themselves."
    eligibility = Eligibility.ELIGIBLE
    support = "Respite cover by the family's PAs."
    respite_hours = Decimal("8.00")
    respite_period_length = 4
    respite_period_unit = PeriodUnit.WEEK
    review_on = factory.LazyAttribute(lambda a: a.assessed_on + datetime.timedelta(days=365))
    recorded_by = factory.SubFactory(UserFactory)


def assessment_for(carer, recipient=None, **fields):
    """The carer's current assessment for the person (their first circle unless named), made if none."""
    from care.models import Membership

    recipient = recipient or Membership.objects.filter(user=carer).order_by("pk").first().recipient
    current = CarerAssessment.objects.current().filter(recipient=recipient, carer=carer).first()
    return current if current and not fields else CarerAssessmentFactory(recipient=recipient, carer=carer, **fields)

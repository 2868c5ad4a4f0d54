"""factory-boy factories for respite. Accounts are arranged directly; hours arrive through services."""
import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from respite.models import PeriodUnit, RespiteAccount
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

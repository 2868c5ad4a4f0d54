"""Family two's employment objects for the isolation walk (tests/care/test_isolation.py)."""
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from employment.models import Absence


def family_two_absence(cast):
    pa = get_user_model().objects.get(username="other-pa")
    found = Absence.objects.filter(recipient=cast["recipient"]).order_by("pk").first()
    if found is None:
        day = timezone.localdate() + datetime.timedelta(days=40)
        found = Absence.objects.create(recipient=cast["recipient"], pa=pa, kind="holiday", first_day=day,
                                       last_day=day)
    return found.pk


OBJECTS = {"absence_pk": family_two_absence}

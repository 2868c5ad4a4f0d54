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


def family_two_timesheet(cast):
    """A finished shift of family two's PA with its timesheet (made here: the demo's are family one's)."""
    from rota.models import Shift, Timesheet
    from rota.timesheets import open_timesheet

    found = Timesheet.objects.filter(shift__recipient=cast["recipient"]).order_by("pk").first()
    if found is None:
        pa = get_user_model().objects.get(username="other-pa")
        end = timezone.now() - datetime.timedelta(days=1)
        shift = Shift.objects.create(recipient=cast["recipient"], pa=pa, start=end - datetime.timedelta(hours=3),
                                     end=end, status=Shift.Status.COMPLETED)
        found = open_timesheet(shift=shift)
    return found.pk


OBJECTS["timesheet_pk"] = family_two_timesheet

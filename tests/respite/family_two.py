"""Family two's respite objects for tests/care/test_isolation.py (seed_demo has run)."""
from django.contrib.auth import get_user_model

from respite.models import CarerAssessment, RespiteAccount, RespiteBooking


def family_two_account(cast):
    return RespiteAccount.objects.get(recipient=cast["recipient"]).pk


def family_two_booking(cast):
    return RespiteBooking.objects.filter(account__recipient=cast["recipient"]).first().pk


def family_two_assessment(cast):
    """The demo has no carer's assessment in family two: the walk records one for its carer."""
    from tests.respite.factories import CarerAssessmentFactory

    existing = CarerAssessment.objects.filter(recipient=cast["recipient"]).first()
    if existing is None:
        carer = get_user_model().objects.get(username="other-parent")
        existing = CarerAssessmentFactory(recipient=cast["recipient"], carer=carer, recorded_by=carer)
    return existing.pk


OBJECTS = {"account_pk": family_two_account, "booking_pk": family_two_booking,
           "assessment_pk": family_two_assessment}

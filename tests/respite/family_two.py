"""Family two's respite objects for tests/care/test_isolation.py (seed_demo has run)."""
from respite.models import RespiteAccount, RespiteBooking


def family_two_account(cast):
    return RespiteAccount.objects.get(recipient=cast["recipient"]).pk


def family_two_booking(cast):
    return RespiteBooking.objects.filter(account__recipient=cast["recipient"]).first().pk


OBJECTS = {"account_pk": family_two_account, "booking_pk": family_two_booking}

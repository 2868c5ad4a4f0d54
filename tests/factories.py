"""factory-boy factories for every app's models; tests arrange with these, never fixture files."""
import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from care.models import CareRecipient, ClinicianProfile, PAProfile, PersonalHealthBudget, Profile, Role
from care.services import add_member

PASSWORD = "demo-pass-2026"


def nhs_number(seed):
    """A valid (modulus-11) invented NHS number derived from a counter."""
    for candidate in itertools.count(seed * 7 + 100_000_000):
        digits = f"{candidate:09d}"[-9:]
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1)))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password(PASSWORD)


class CareRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareRecipient

    display_name = factory.Sequence(lambda n: f"Person {n}")
    date_of_birth = datetime.date(2010, 5, 1)
    nhs_number = factory.Sequence(nhs_number)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    # Only Ofcom's drama range (07700 900000-900999) is accepted without being a real number,
    # so the sequence wraps at 1,000: a long run makes more profiles than that.
    mobile = factory.Sequence(lambda n: f"+447700900{n % 1000:03d}")
    sms_consent = True


class PAProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PAProfile

    user = factory.SubFactory(UserFactory)
    hourly_rate = Decimal("13.50")
    sleep_in_rate = Decimal("95.00")


class ClinicianProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicianProfile

    user = factory.SubFactory(UserFactory)
    register = "nmc"
    registration_number = "12A3456E"
    organisation = "Community Nursing (test)"


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonalHealthBudget

    recipient = factory.SubFactory(CareRecipientFactory)
    management_option = "direct_payment"
    period_start = datetime.date(2026, 4, 1)
    period_end = datetime.date(2027, 4, 1)
    amount = Decimal("50000.00")


def member(recipient, role, user=None, **user_kwargs):
    """A user in the recipient's circle with `role`; PAs get a profile with a mobile and rates."""
    user = user or UserFactory(**user_kwargs)
    add_member(recipient=recipient, user=user, role=role, started_on=datetime.date(2025, 1, 1))
    if role == Role.PA:
        PAProfileFactory(user=user) if not hasattr(user, "pa_profile") else None
        ProfileFactory(user=user) if not hasattr(user, "profile") else None
    return user


def log_in_with_second_factor(client, user):
    """Log in as someone who has entered their authenticator code this session.

    The device is real and confirmed; the session holds it exactly as django_otp's login() leaves
    it (tests/care/test_two_factor.py proves that path with a real code).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Authenticator app"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

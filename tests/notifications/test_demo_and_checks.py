"""Demo texts for both families, and system checks that catch a half-configured Twilio."""
from django.core.management import call_command

from care.models import CareRecipient
from notifications.checks import check_sms_settings
from notifications.models import Message


def test_the_demo_has_texts_for_both_families(db):
    call_command("seed_demo")
    one = CareRecipient.objects.get(nhs_number="9434765919")
    two = CareRecipient.objects.get(nhs_number="4010232137")
    ours = Message.objects.filter(idempotency_key__startswith="demo:")  # other apps' demos text too
    assert ours.filter(recipient=one).count() == 3
    assert ours.filter(recipient=two).count() == 1
    assert all(m.to.startswith("+447700900") for m in Message.objects.all())
    before = Message.objects.count()
    call_command("seed_demo")
    assert Message.objects.count() == before


def ids(settings_):
    return sorted(problem.id for problem in check_sms_settings(None))


def test_checks_pass_for_the_embedded_backends(settings):
    for name in ("console", "locmem"):
        settings.SMS_BACKEND = name
        assert ids(settings) == []


def test_checks_catch_a_half_configured_twilio(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ""
    settings.TWILIO_MESSAGING_SERVICE_SID = settings.TWILIO_FROM_NUMBER = ""
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    assert ids(settings) == ["notifications.E002", "notifications.E003", "notifications.W001"]


def test_checks_catch_an_unknown_backend(settings):
    settings.SMS_BACKEND = "carrier-pigeon"
    assert ids(settings) == ["notifications.E001"]

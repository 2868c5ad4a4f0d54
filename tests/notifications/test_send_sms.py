"""send_sms: the one way other apps text someone. Queued in the caller's transaction, sent after commit."""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

import notifications
from care.models import Profile
from notifications.backends import locmem
from notifications.models import Message, OptOut, Status
from tests.factories import ProfileFactory, UserFactory

BODY = "paworkflow: shift 4821 on Tue 08:00-14:00. Reply YES 4821 or NO 4821. https://pa.example.org/rota/"


def send(**kwargs):
    kwargs.setdefault("body", BODY)
    kwargs.setdefault("purpose", "shift_offer")
    kwargs.setdefault("idempotency_key", "offer:4821:pa")
    return notifications.send_sms(**kwargs)


def test_a_text_to_a_pa_is_sent_after_commit(family, pa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(user=pa, recipient=family)
        assert locmem.outbox == []  # nothing leaves before the caller's transaction commits

    assert [(t.to, t.body) for t in locmem.outbox] == [(pa.profile.mobile, BODY)]
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_id == f"locmem-{message.pk}"
    assert (message.user, message.recipient, message.attempts) == (pa, family, 1)


def test_the_same_idempotency_key_twice_sends_once(family, pa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(user=pa, recipient=family)
        second = send(user=pa, recipient=family)
    with django_capture_on_commit_callbacks(execute=True):
        third = send(user=pa, recipient=family)

    assert first.pk == second.pk == third.pk
    assert Message.objects.count() == 1
    assert len(locmem.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_text_queued_in_a_rolled_back_transaction_is_never_sent():
    user = UserFactory()
    ProfileFactory(user=user, mobile="+447700900555")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            send(user=user)
            raise RuntimeError("the shift could not be saved")

    assert Message.objects.count() == 0
    assert locmem.outbox == []
    send(user=user)  # the same key is free again: nothing of the first attempt remains
    assert len(locmem.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_sent_at_once():
    user = UserFactory()
    ProfileFactory(user=user, mobile="+447700900556")
    send(user=user)
    assert [t.to for t in locmem.outbox] == ["+447700900556"]


def test_nobody_without_a_mobile_or_consent_is_texted(db):
    no_profile = UserFactory()
    no_mobile = ProfileFactory(mobile="").user
    no_consent = ProfileFactory(mobile="+447700900557", sms_consent=False).user
    for n, user in enumerate([no_profile, no_mobile, no_consent]):
        assert send(user=user, idempotency_key=f"k{n}") is None
    assert send(number="07700 900557", idempotency_key="by-number") is None  # the number's owner said no
    assert Message.objects.count() == 0


def test_an_opted_out_number_is_not_texted(pa):
    OptOut.objects.create(number=pa.profile.mobile, reason=OptOut.Reason.REPLIED_STOP)
    assert send(user=pa) is None
    assert Message.objects.count() == 0


def test_a_number_is_normalised_and_matched_to_its_owner(pa, django_capture_on_commit_callbacks):
    local = "0" + pa.profile.mobile[3:]  # 07700 900xxx
    with django_capture_on_commit_callbacks(execute=True):
        message = send(number=local)
    assert message.to == pa.profile.mobile and message.user == pa
    assert locmem.outbox[0].to == pa.profile.mobile


def test_a_number_that_belongs_to_nobody_can_be_texted(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(number="+447700900999")
    assert message.user is None and locmem.outbox[0].to == "+447700900999"


@pytest.mark.parametrize(
    "body, code",
    [
        ("", "sms_empty"),
        ("paworkflow: time for Alfie's insulin at 08:00", "sms_clinical"),
        ("Tracheostomy care training on Tue", "sms_clinical"),
        ("x" * 307, "sms_too_long"),
        ("Shift ✓ " * 20, "sms_too_long"),
    ],
)
def test_bad_bodies_are_refused_and_nothing_is_saved(pa, body, code):
    with pytest.raises(ValidationError) as refused:
        send(user=pa, body=body)
    assert refused.value.code == code
    assert Message.objects.count() == 0


def test_a_bad_number_is_refused_with_a_clear_message(db):
    with pytest.raises(ValidationError) as refused:
        send(number="not a number")
    assert "mobile number" in refused.value.messages[0]
    assert Message.objects.count() == 0


def test_it_needs_a_user_or_a_number_and_a_key(pa):
    with pytest.raises(ValueError):
        send()
    with pytest.raises(ValueError):
        send(user=pa, idempotency_key="")
    with pytest.raises(ValueError):
        send(user=pa, purpose="Shift offer!")


def test_non_breaking_spaces_are_stripped_before_sending(pa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(user=pa, body="Shift 4821\u00a0on Tue\u202f08:00 \u2014 reply YES\u00a04821")
    assert message.body == "Shift 4821 on Tue 08:00 - reply YES 4821"
    assert (message.encoding, message.segments) == ("GSM-7", 1)
    assert locmem.outbox[0].body == message.body


def test_a_profile_with_a_mobile_added_later_is_used(db, django_capture_on_commit_callbacks):
    user = UserFactory()
    Profile.objects.create(user=user, mobile="+447700900558", sms_consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(user=user)
    assert locmem.outbox[0].to == "+447700900558"

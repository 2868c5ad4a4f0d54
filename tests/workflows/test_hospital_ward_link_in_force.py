"""A ward contact who reviewed by link (no account) gets a fresh single-use link to the
agreement in force, by the channel they used, to suspend, resume and record the discharge, for
as long as it is in force. A ward manager of the person opening another ward's agreement is told
so (403); outside the circle it stays 404."""
import re

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Message
from rota.models import Shift
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import State, WardLink

from .agreement_steps import (
    detail_url, funding, latest, link_token, start, start_data, take, task_answers, conditions, ward_link_url,
    ward_manager, action_url,
)

pytestmark = pytest.mark.django_db

WARD_MOBILE = "+447700900555"


def in_force_by_link(client, family, parent, pa, **contact):
    assert start(client, parent, family, start_data(pas=[pa], **contact)).status_code == 302
    agreement = latest(family)
    client.logout()
    return agreement


def reviewed_and_funded(client, family, parent, pa):
    agreement = in_force_by_link(client, family, parent, pa, mobile=WARD_MOBILE)
    review_token = link_token(WARD_MOBILE)
    client.post(ward_link_url(review_token), {**conditions("accept"), **task_answers(agreement)})
    assert take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa, 2: pa, 3: pa})).status_code == 302
    client.logout()
    return agreement, review_token


def test_the_ward_contact_suspends_resumes_and_records_the_discharge_by_link(client, family, parent, pa):
    agreement, review_token = reviewed_and_funded(client, family, parent, pa)
    token = link_token(WARD_MOBILE)
    assert token != review_token
    text = Message.objects.filter(to=WARD_MOBILE).latest("created_at").body
    assert "is in place" in text and "Ward 7" not in text

    page = client.get(ward_link_url(token))
    assert page.status_code == 200 and "Suspend the agreement" in page.content.decode()
    assert client.get(ward_link_url(token)).status_code == 200  # opening it uses nothing

    done = client.post(ward_link_url(token), {"action": "suspend", "reason": "Outbreak on the bay"})
    assert done.status_code == 200 and "The agreement is suspended" in done.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.SUSPENDED
    assert client.get(ward_link_url(token)).status_code == 410  # used
    assert Message.objects.filter(user=pa, purpose="hospital-suspended").count() == 1

    token = link_token(WARD_MOBILE)
    assert client.post(ward_link_url(token), {"action": "resume"}).status_code == 200
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE

    token = link_token(WARD_MOBILE)
    confirm = client.post(ward_link_url(token), {"action": "discharge", "discharged_on": ""})
    assert confirm.status_code == 200 and "Hospital shifts that will be cancelled" in confirm.content.decode()
    going = re.search(r'name="going" value="([\d,]*)"', confirm.content.decode()).group(1)
    done = client.post(ward_link_url(token), {"action": "discharge", "discharged_on": "", "going": going,
                                              "confirm": "yes"})
    assert done.status_code == 200 and "the agreement has ended" in done.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.DISCHARGED and agreement.discharged_on == timezone.localdate()
    later = Shift.objects.filter(hospital_agreement_link__agreement=agreement,
                                 start__date__gt=timezone.localdate())
    assert later and all(s.status == Shift.Status.CANCELLED for s in later)
    # no link after the end; the last one says why it stopped
    assert link_token(WARD_MOBILE) == token
    ended = client.get(ward_link_url(token))
    assert ended.status_code == 410
    assert agreement.events.filter(kind="suspended", actor=None).exists()


def test_a_refused_change_leaves_the_link_usable(client, family, parent, pa):
    agreement, _ = reviewed_and_funded(client, family, parent, pa)
    token = link_token(WARD_MOBILE)
    response = client.post(ward_link_url(token), {"action": "suspend", "reason": "  "})
    assert response.status_code == 200 and "Give the reason" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE
    assert agreement.ward_links.get(purpose=WardLink.Purpose.IN_FORCE, revoked_at=None).used_at is None
    assert client.get(ward_link_url(token)).status_code == 200


def test_a_ward_that_reviewed_by_email_gets_its_link_by_email(client, family, parent, pa,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = in_force_by_link(client, family, parent, pa, email="ward7@example.invalid")
    token = re.search(r"/workflows/hospital/ward/([^/\s]+)/", mail.outbox[-1].body).group(1)
    client.post(ward_link_url(token), {**conditions("accept"), **task_answers(agreement)})
    with django_capture_on_commit_callbacks(execute=True):
        take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa}))
    assert len(mail.outbox) == 2 and "is in place" in mail.outbox[-1].body
    client.logout()
    fresh = re.search(r"/workflows/hospital/ward/([^/\s]+)/", mail.outbox[-1].body).group(1)
    assert client.get(ward_link_url(fresh)).status_code == 200


def test_a_ward_manager_of_the_person_is_told_the_agreement_went_elsewhere(client, family, parent, pa, outsider):
    ward = ward_manager(family, "ward")
    other_ward = ward_manager(family, "ward-two")
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(other_ward)
    for url in (detail_url(agreement), action_url("print", agreement), action_url("review", agreement)):
        response = client.get(url)
        assert response.status_code == 403 and "was not sent to you" in response.content.decode(), url
        assert "Ward 7" not in response.content.decode()
    client.force_login(outsider)
    assert client.get(detail_url(agreement)).status_code == 404
    client.force_login(ward)
    assert client.get(detail_url(agreement)).status_code == 200

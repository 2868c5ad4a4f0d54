"""Texts and the ward's email are fixed templates (a reference, times, a link): nothing a user
typed about the stay — ward, hospital, who to report to, notes, reasons — reaches them."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Message
from notifications.sms import validate_body
from tests.factories import ProfileFactory
from tests.hostile import NUL
from workflows.hospital import in_force, texts
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import HospitalAgreement, WardLink

from .agreement_steps import (
    action_url, conditions, discharge, funding, latest, link_token, start, start_data, take, task_answers, ward_link_url,
    ward_manager,
)

pytestmark = pytest.mark.django_db

TYPED = {
    "hospital": "Royal Marsden Cancer Centre",
    "ward": "Oncology Ward 7",
    "ward_contact_name": "Sister Chemo Lane",
    "support_notes": "Port-a-cath care; she is frightened of the chemotherapy",
}
REVIEW = {
    "report_to": "the nurse giving her chemotherapy",
    "infection_control": "Neutropenic precautions: mask in the bay",
    "id_badge": "Oncology day unit badge",
    "escalation_contacts": "Oncology registrar bleep 1234",
}
WORDS = ["oncology", "marsden", "cancer", "chemo", "neutropenic", "port-a-cath", "registrar", "frightened",
         "sepsis", "ward 7", "day unit"]


def assert_says_nothing_typed(body):
    for word in WORDS:
        assert word not in body.lower(), (word, body)


def every_body_sent():
    return [m.body for m in Message.objects.all()] + [m.body + m.subject for m in mail.outbox]


def test_a_whole_stay_on_an_oncology_ward_texts_none_of_what_the_family_and_ward_typed(
        client, family, parent, pa, other_parent, other_pa, django_capture_on_commit_callbacks):
    ProfileFactory(user=parent)
    ward = ward_manager(family)
    assert start(client, parent, family, {**start_data(pas=[pa], ward=ward), **TYPED}).status_code == 302
    agreement = latest(family)
    client.force_login(ward)
    assert client.post(action_url("review", agreement),
                       {**conditions("accept", **REVIEW), **task_answers(agreement)}).status_code == 302
    assert take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa})).status_code == 302
    client.force_login(ward)
    client.post(action_url("suspend", agreement), {"reason": "Neutropenic sepsis on the bay"})
    client.post(action_url("resume", agreement))
    in_force.remind_overdue_discharges(now=timezone.now() + datetime.timedelta(days=10))
    discharge(client, ward, agreement)
    purposes = set(Message.objects.values_list("purpose", flat=True))
    assert {"hospital-review", "hospital-answered", "hospital-active", "hospital-suspended", "hospital-resumed",
            "hospital-discharge"} <= purposes

    # the ward contact outside the circle: by email, declined with a reason; then by text
    with django_capture_on_commit_callbacks(execute=True):
        start(client, parent, family, {**start_data(pas=[pa], email="oncology@example.invalid"), **TYPED})
    assert len(mail.outbox) == 1
    token = re.search(r"/workflows/hospital/ward/([^/\s]+)/", mail.outbox[0].body).group(1)
    client.logout()
    client.post(ward_link_url(token), {**conditions("decline", **REVIEW), "reason": "Chemotherapy bay closed"})
    assert latest(family).state == "declined"
    start(client, other_parent, other_parent.memberships.first().recipient,
          {**start_data(pas=[other_pa], mobile="+447700900777"), **TYPED})
    assert link_token("+447700900777")

    bodies = every_body_sent()
    assert len(bodies) >= 8
    for body in bodies:
        assert_says_nothing_typed(body)


def hostile_agreement(text):
    agreement = HospitalAgreement(
        pk=12345, hospital=text, ward=text, ward_contact_name=text, support_notes=text, report_to=text,
        infection_control=text, id_badge=text, escalation_contacts=text, state_reason=text,
        admission_date=datetime.date(2026, 3, 1), expected_discharge=datetime.date(2026, 3, 9),
        present_from=datetime.time(9), present_until=datetime.time(17),
    )
    return agreement


def bodies_for(text):
    agreement = hostile_agreement(text)
    link = WardLink(agreement=agreement, expires_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 10)))
    url = "https://paworkflow.example/workflows/hospital/ward/tok/"
    return [body(agreement) for body in texts.BODIES] + [texts.ward_link_body(agreement, link, url)]


@pytest.mark.parametrize("text", [
    "Oncology Ward 7, Royal Marsden Cancer Centre; the nurse giving her chemotherapy",
    "Insulin and enoxaparin injections; tracheostomy suction; epilepsy (buccal midazolam)",
    "x" * 100_000,
    f"Ward{NUL}7 {NUL}",
    "\u202eevil.exe \U0001F489\U0001F489",
    "<script>alert(1)</script> {agreement.pk} %(word)s",
])
def test_every_text_body_is_a_fixed_template_whatever_was_typed(text):
    """Whatever the family or the ward typed, each text is word for word the one a blank
    agreement gets: a reference, dates and hours, and a link."""
    plain = bodies_for("-")
    assert len(plain) == len(texts.BODIES) + 1 >= 8
    for body, blank in zip(bodies_for(text), plain):
        validate_body(body)
        assert "H12345" in body and "://" in body
        assert body == blank


def test_the_arrival_text_still_gives_the_hours_and_the_link(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    client.post(action_url("review", agreement), {**conditions("accept"), **task_answers(agreement)})
    take(client, parent, agreement, Flow.fund, funding(agreement, plan={1: pa}))
    body = Message.objects.get(user=pa, purpose="hospital-active").body
    assert f"{agreement.reference}" in body and "09:00-17:00" in body
    assert f"/workflows/hospital/{agreement.pk}/" in body

"""The delegation agreement: built from the records at sign-off, agreed in turn by the accountable
practitioner, the employer (recording whose choice it is) and the PA, printable; and the PA's
right to decline, with a reason, at any point before sign-off."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from care.models import AuditEvent, Role
from competencies.models import Status
from notifications.models import Message
from tests.factories import ClinicianProfileFactory, ProfileFactory, log_in_with_second_factor, member
from workflows.delegation import services
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import AgreementTerms, DelegationAgreement, DelegationOutcome
from workflows.nodes import take_step

from .steps import PLANS, SIGN_OFF, assessment, catalogue, open_task, take, through_to_assessment

pytestmark = pytest.mark.django_db
PROTOCOL = {"name": "North Shire ICB delegation of healthcare tasks to PAs", "version": "2.1"}


@pytest.fixture
def signed_off(client, settings, family, parent, nurse, pa):
    settings.DELEGATION_PROTOCOL = PROTOCOL
    ClinicianProfileFactory(user=nurse, registration_number="12A3456E")
    ProfileFactory(user=parent)
    task = catalogue("tracheostomy-suction")
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    assert take(client, nurse, process, DelegationFlow.assess, assessment(task)).status_code == 302
    assert take(client, nurse, process, DelegationFlow.sign_off, SIGN_OFF).status_code == 302
    process.refresh_from_db()
    return process


def agreement_url(process, name="agreement"):
    return reverse(f"workflows:delegation:{name}", args=[process.pk])


def test_the_agreement_is_agreed_in_turn_by_all_three_and_printed(client, signed_off, parent, nurse, pa):
    process = signed_off
    party = DelegationAgreement.Party
    # the practitioner agreed at sign-off; the employer is asked by text, the PA not yet
    assert process.agreements.get(party=party.PRACTITIONER).given_by == nurse
    assert Message.objects.filter(purpose="delegation-agreement-employer", user=parent).count() == 1
    assert not Message.objects.filter(purpose="delegation-agreement-pa").exists()

    # the PA cannot acknowledge before the employer has agreed: told, nothing saved
    client.force_login(pa)
    early = client.post(agreement_url(process, "acknowledge"), {"confirm": "on"}, follow=True)
    assert "The employer has not agreed this delegation yet" in early.content.decode()
    assert not process.agreements.filter(party=party.PA_SIGNED).exists()

    client.force_login(parent)
    page = client.get(agreement_url(process))
    assert page.status_code == 200 and "Agree as the employer" in page.content.decode()
    agreed = client.post(agreement_url(process, "agree_employer"),
                         {"choice_of": "representative", "representative": "Dana Ash (mother)", "confirm": "on"})
    assert agreed.status_code == 302
    employer = process.agreements.get(party=party.EMPLOYER)
    assert (employer.given_by, employer.choice_of, employer.representative) == (parent, "representative",
                                                                                 "Dana Ash (mother)")
    # a second agreement is refused, with who already agreed
    again = client.post(agreement_url(process, "agree_employer"), {"choice_of": "person", "confirm": "on"},
                        follow=True)
    assert "already agreed as the employer" in again.content.decode()
    assert process.agreements.filter(party=party.EMPLOYER).count() == 1

    # the PA is told once, sees the controls and the emergency plan, and acknowledges
    texts = Message.objects.filter(purpose="delegation-agreement-pa", user=pa)
    assert texts.count() == 1 and "suction" not in texts.get().body.lower()
    client.force_login(pa)
    # the PA's own record leads to it
    record = client.get(reverse("competencies:detail", args=[process.competency_id])).content.decode()
    assert agreement_url(process) in record
    page = client.get(agreement_url(process)).content.decode()
    assert "Spare tube at bedside; 999 plan" in page and PLANS["emergency_plan"] in page
    assert client.post(agreement_url(process, "acknowledge"), {"confirm": "on"}).status_code == 302
    assert process.agreements.get(party=party.PA_SIGNED).given_by == pa

    # the printable copy: everything it rests on, and each party with who and when
    printed = client.get(agreement_url(process)).content.decode()
    competency = process.competency
    competency.refresh_from_db()
    for expected in (process.recipient.display_name, "Tracheostomy suction", PROTOCOL["name"], "version 2.1",
                     "CP-0042, version 3", "EP-0042, version 2", "12A3456E", "Dana Ash (mother)",
                     "Agreed by all three parties", f"{competency.valid_until:%-d %b %Y}", 'media="print"'):
        assert expected in printed, expected
    assert printed.count("Signature ____") == 3
    actions = AuditEvent.objects.filter(recipient=process.recipient, action="delegation.agreement")
    assert actions.filter(actor=parent, summary__contains="employer").count() == 1
    assert actions.filter(actor=pa, summary__contains="acknowledged").count() == 1


def test_the_employer_names_the_representative_or_nothing_is_saved(client, signed_off, parent):
    client.force_login(parent)
    response = client.post(agreement_url(signed_off, "agree_employer"),
                           {"choice_of": "representative", "representative": " ", "confirm": "on"})
    assert response.status_code == 400
    assert "Name the representative" in response.content.decode()
    assert not signed_off.agreements.filter(party="employer").exists()


def test_only_the_named_pa_and_the_record_readers_see_the_agreement(client, signed_off, family, other_parent):
    second_pa = member(family, Role.PA, username="second-pa")
    client.force_login(second_pa)
    assert client.get(agreement_url(signed_off)).status_code == 403
    assert client.post(agreement_url(signed_off, "acknowledge"), {"confirm": "on"}).status_code in (403, 404)
    client.force_login(other_parent)
    assert client.get(agreement_url(signed_off)).status_code == 404
    assert client.post(agreement_url(signed_off, "agree_employer"),
                       {"choice_of": "person", "confirm": "on"}).status_code == 404
    assert not signed_off.agreements.filter(party__in=["employer", "pa_signed"]).exists()


def test_home_pages_ask_the_employer_and_then_the_pa(client, signed_off, parent, pa):
    client.force_login(parent)
    assert "Agree as the employer: the delegation agreement" in client.get(reverse("home")).content.decode()
    client.force_login(pa)
    assert "Acknowledge: the delegation agreement" not in client.get(reverse("home")).content.decode()
    services.agree_as_employer(process=signed_off, actor=parent, choice_of="person")
    assert "Acknowledge: the delegation agreement" in client.get(reverse("home")).content.decode()
    client.force_login(parent)
    assert "Agree as the employer: the delegation agreement" not in client.get(reverse("home")).content.decode()


def test_a_sign_off_names_the_plans_and_the_next_one_starts_from_them(client, family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    assert take(client, nurse, process, DelegationFlow.assess, assessment(task)).status_code == 302
    refused = take(client, nurse, process, DelegationFlow.sign_off, {"confirm": "on"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    process.refresh_from_db()
    assert process.competency.status == Status.ASSESSED and not AgreementTerms.objects.exists()
    # the service refuses too, whoever calls it without plans for a person with none on record
    with pytest.raises(ValidationError, match="care plan reference"):
        take_step(open_task(process, DelegationFlow.sign_off), nurse, services.sign_off)
    assert take(client, nurse, process, DelegationFlow.sign_off, SIGN_OFF).status_code == 302

    # another delegation for the same person: the sign-off form starts from the plans on record
    second_pa = member(family, Role.PA, username="second-pa")
    next_one = through_to_assessment(client, parent=parent, nurse=nurse, pa=second_pa, recipient=family, task=task)
    assert take(client, nurse, next_one, DelegationFlow.assess, assessment(task)).status_code == 302
    step = open_task(next_one, DelegationFlow.sign_off)
    log_in_with_second_factor(client, nurse)
    opened = client.post(DelegationFlow.sign_off.reverse("assign", args=[next_one.pk, step.pk]), follow=True)
    form = opened.context["form"]
    assert form.initial["care_plan_ref"] == "CP-0042" and form.initial["emergency_plan_version"] == "2"


def test_the_pa_declines_before_sign_off_with_a_reason(client, family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    decline = agreement_url(process, "decline")
    client.force_login(pa)
    assert "Decline this delegation" in client.get(agreement_url(process, "process_detail")).content.decode()

    # without a reason: told, nothing changes
    blank = client.post(decline, {"reason": "  "}, follow=True)
    assert "Say why you decline" in blank.content.decode()
    process.refresh_from_db()
    assert process.status == "NEW" and process.outcome == ""

    # only the named PA may decline
    client.force_login(parent)
    assert client.post(decline, {"reason": "Not me"}).status_code == 403

    client.force_login(pa)
    assert client.post(decline, {"reason": "I am not confident with suction at night"}).status_code == 302
    process.refresh_from_db()
    assert process.status == "CANCELED" and process.outcome == DelegationOutcome.NOT_AGREED
    assert "I am not confident with suction at night" in process.outcome_reason
    assert process.competency.status == Status.REVOKED  # the training in progress ends with it
    page = client.get(agreement_url(process, "process_detail")).content.decode()
    assert "I am not confident with suction at night" in page and "Decline this delegation" not in page
    assert AuditEvent.objects.filter(action="delegation.declined_by_pa", actor=pa).count() == 1


def test_the_pa_cannot_decline_after_sign_off(client, signed_off, pa):
    client.force_login(pa)
    response = client.post(agreement_url(signed_off, "decline"), {"reason": "Changed my mind"}, follow=True)
    assert "already signed off" in response.content.decode()
    signed_off.refresh_from_db()
    assert signed_off.outcome == DelegationOutcome.SIGNED_OFF and signed_off.status == "NEW"

"""Every workflows form, posted by its rightful user with hostile input (tests/hostile.py): never a
500, and nothing invalid saved — no new row unless the page redirected (done), and every new row
passes its model's validation and the date windows of what it means.

Each example is one more request by the same people. When an example completes a step, the
next one gets a fresh family whose process waits at that step (built through the flows' own
driving helpers), so every example meets the form, not a step already done.
"""
import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.utils import timezone
from freezegun import freeze_time
from hypothesis import given, settings
from viewflow.workflow.models import Process
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from care.models import Role
from competencies.models import Assessment, Competency, SignOff, TrainingRecord
from rota.models import Shift
from tests.factories import CareRecipientFactory, ProfileFactory, log_in_with_second_factor, member
from tests.hostile import FORM_PROPERTY, hostile_form_data, mostly_valid_form_data
from workflows.delegation import services as delegation
from workflows.delegation.driving import start_delegation
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationAgreement, DelegationProcess, DelegationRiskAssessment
from workflows.hospital import driving as hospital
from workflows.hospital import in_force as hospital_in_force
from workflows.hospital import services as hospital_services
from workflows.hospital.flow import HospitalAgreementFlow
from workflows.hospital.models import AgreementEvent, HospitalAgreement, HospitalShift, State, WardReview
from workflows.nodes import take_step

from .agreement_steps import action_url, review_url, ward_manager
from .steps import PLANS, catalogue

pytestmark = pytest.mark.django_db

PROPERTY = settings(FORM_PROPERTY, max_examples=20)


def form_data(fields, valid):
    """Anything at all, or the valid submission with a few fields spoiled (which reaches each
    field's own refusal, and the step itself)."""
    return mostly_valid_form_data(fields, valid) | hostile_form_data(fields, valid)
WATCHED = (DelegationProcess, DelegationRiskAssessment, DelegationAgreement, TrainingRecord, Assessment, SignOff,
           Competency, HospitalAgreement, WardReview, AgreementEvent, HospitalShift, Shift)
NUMBER = itertools.count(1)


def high_water():
    return {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model in WATCHED}


def in_window(row):
    """The date windows a saved row must keep, whatever page wrote it."""
    today = timezone.localdate()
    if isinstance(row, HospitalAgreement):
        assert today - datetime.timedelta(days=366) <= row.admission_date <= today + datetime.timedelta(days=121)
        assert datetime.timedelta(0) <= row.expected_discharge - row.admission_date <= datetime.timedelta(days=365)
        assert row.insurance_expires is None or today <= row.insurance_expires <= today + datetime.timedelta(days=5 * 366)
        assert row.discharged_on is None or row.admission_date <= row.discharged_on <= today
    if isinstance(row, TrainingRecord):
        assert row.trained_on <= today
    if isinstance(row, Assessment):
        assert row.assessed_on <= today


def posted(client, url, data, *, before):
    """Post, and prove nothing invalid was saved. True when the step was done."""
    response = client.post(url, data)
    assert response.status_code < 500, response
    finished = response.status_code == 302
    for model, top in before.items():
        new = list(model.objects.filter(pk__gt=top))
        assert finished or not new, (model.__name__, data)
        for row in new:
            # Viewflow 2.4's FlowReferenceField cannot clean the flow class it holds
            # (workflow/fields.py, import_flow_by_ref wants its string): that one field is the library's.
            row.full_clean(exclude=["flow_class"] if isinstance(row, Process) else None)
            in_window(row)
    return finished


def today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def new_family():
    """A family of its own for a fresh process: budget holder (and carer), PA, clinician, ward manager."""
    n = next(NUMBER)
    family = CareRecipientFactory()
    parent = member(family, Role.BUDGET_HOLDER, username=f"prop-parent-{n}")
    member(family, Role.CARER, user=parent)
    pa = member(family, Role.PA, username=f"prop-pa-{n}")
    nurse = member(family, Role.CLINICIAN, username=f"prop-nurse-{n}")
    ward = member(family, Role.WARD_MANAGER, username=f"prop-ward-{n}")
    ProfileFactory(user=ward)
    return SimpleNamespace(family=family, parent=parent, pa=pa, nurse=nurse, ward=ward)


# Delegations, driven to the step under test.

DELEGATION_STEPS = ["assess_risk", "consent", "accept", "train", "assess", "sign_off"]


def open_step(process, node):
    return process.task_set.filter(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]).first()


def delegation_at(step, code="nebuliser"):
    """A fresh delegation waiting at `step`, with who takes it."""
    cast = new_family()
    task = catalogue(code)
    process = start_delegation(actor=cast.parent, recipient=cast.family, pa=cast.pa, healthcare_task=task, reason="r")
    actions = {
        "assess_risk": (cast.nurse, delegation.assess_risk, dict(decision="proceed", hazards="h", controls="c")),
        "consent": (cast.parent, delegation.agree, dict(party="person", agreed=True)),
        "accept": (cast.pa, delegation.agree, dict(party="pa", agreed=True)),
        "train": (cast.nurse, delegation.train, dict(trained_on=timezone.localdate(), method="supervised_practice",
                                                     supervised_practices=task.supervised_practices_required)),
        "assess": (cast.nurse, delegation.assess, dict(assessed_on=timezone.localdate(),
                                                       results={c: True for c in task.criteria})),
    }
    for name in DELEGATION_STEPS[:DELEGATION_STEPS.index(step)]:
        user, service, data = actions[name]
        take_step(open_step(process, getattr(DelegationFlow, name)), user, service, **data)
    who = {"consent": cast.parent, "accept": cast.pa}.get(step, cast.nurse)
    return SimpleNamespace(process=process, user=who, cast=cast, task=task)


class Stage:
    """The step under test: rebuilt when an example has done it."""

    def __init__(self, build):
        self.build = build
        self.current = None

    def get(self):
        if self.current is None:
            self.current = self.build()
        return self.current

    def done(self):
        self.current = None


def step_url(client, process, node, user):
    """Claim the step as `user` (as the inbox's button does) and return its form's URL."""
    log_in_with_second_factor(client, user)
    task = open_step(process, node)
    if task.owner_id is None:
        assert client.post(node.reverse("assign", args=[process.pk, task.pk])).status_code == 302
    return node.reverse("execute", args=[process.pk, task.pk])


def run_delegation_step(client, stage, node, data):
    at = stage.get()
    url = step_url(client, at.process, node, at.user)
    if posted(client, url, data, before=high_water()):
        stage.done()


@pytest.fixture
def stages():
    """Each test's processes under test (shared by its examples, gone with its database)."""
    return {}


def delegation_property(step, fields, valid, code="nebuliser"):
    node = getattr(DelegationFlow, step)

    @PROPERTY
    @given(data=form_data(fields, valid))
    def test(client, stages, data):
        stage = stages.setdefault(step, Stage(lambda: delegation_at(step, code)))
        run_delegation_step(client, stage, node, data)

    return test


@PROPERTY
@given(data=form_data(["recipient", "pa", "healthcare_task", "reason"],
                              {"recipient": "FAMILY", "pa": "PA", "healthcare_task": "TASK",
                               "reason": "Needed at night"}))
def test_request_form(client, family, parent, pa, nurse, data):
    ids = {"FAMILY": str(family.pk), "PA": str(pa.pk), "TASK": str(catalogue("nebuliser").pk)}
    data = {k: ids.get(v, v) for k, v in data.items()}
    client.force_login(parent)
    if posted(client, DelegationFlow.start.reverse("execute"), data, before=high_water()):
        # the next valid request would be a duplicate: the clinician declines this one
        process = DelegationProcess.objects.filter(recipient=family).latest("created")
        take_step(open_step(process, DelegationFlow.assess_risk), nurse, delegation.assess_risk,
                  decision="decline", hazards="h", reason="r")


test_risk_assessment_form = delegation_property(
    "assess_risk", ["hazards", "controls", "decision", "reason"],
    {"hazards": "Blocked tube", "controls": "Spare at bedside", "decision": "proceed", "reason": ""})
test_consent_form = delegation_property("consent", ["agreed", "notes"], {"agreed": "yes", "notes": ""})
test_accept_form = delegation_property("accept", ["agreed", "notes"], {"agreed": "yes", "notes": ""})
test_training_form = delegation_property(
    "train", ["trained_on", "method", "materials", "supervised_practices", "notes"],
    {"trained_on": today(), "method": "supervised_practice", "materials": "", "supervised_practices": "3",
     "notes": ""})
test_assessment_form = delegation_property(
    "assess", ["assessed_on", "notes"] + [f"criterion_{i}" for i in range(5)],
    {"assessed_on": today(), "notes": "", **{f"criterion_{i}": "yes" for i in range(5)}})
test_sign_off_form = delegation_property(
    "sign_off", ["confirm", "notes", *PLANS], {"confirm": "on", "notes": "", **PLANS})


def review_at():
    at = delegation_at("sign_off")
    take_step(open_step(at.process, DelegationFlow.sign_off), at.user, delegation.sign_off, plans=PLANS)
    at.process.refresh_from_db()
    return at


@PROPERTY
@given(data=form_data(["decision", "reason", "notes"], {"decision": "renew", "reason": "", "notes": ""}))
def test_review_form(client, stages, data):
    stage = stages.setdefault("review", Stage(review_at))
    at = stage.get()
    # the review opens 28 days before the sign-off expires: be there, and open it
    with freeze_time(at.process.competency.valid_until - datetime.timedelta(days=27)):
        fire_due_timers()
        url = step_url(client, at.process, DelegationFlow.review, at.user)
        if posted(client, url, data, before=high_water()):
            stage.done()


# Hospital agreements.

@pytest.fixture
def ward(family):
    return ward_manager(family)


START_FIELDS = ["hospital", "ward", "ward_contact_name", "ward_contact_mobile", "ward_contact_email", "ward_manager",
                "admission_date", "expected_discharge", "pas", "support", "support_notes"]


@PROPERTY
@given(data=form_data(START_FIELDS, {
    "hospital": "St Example's", "ward": "Ward 7", "ward_contact_name": "Ada Lane", "ward_contact_mobile": "",
    "ward_contact_email": "", "ward_manager": "WARD", "admission_date": today(),
    "expected_discharge": today(3), "pas": "PA", "support": "postural", "support_notes": ""}))
def test_hospital_start_form(client, family, parent, pa, ward, data):
    data = {k: {"PA": str(pa.pk), "WARD": str(ward.pk)}.get(v, v) for k, v in data.items()}
    client.force_login(parent)
    url = HospitalAgreementFlow.start.reverse("execute") + f"?recipient={family.pk}"
    if posted(client, url, data, before=high_water()):
        # one open agreement per person: the ward manager declines this one
        agreement = HospitalAgreement.objects.filter(recipient=family, state=State.WARD_REVIEW).get()
        hospital.review_as_ward_manager(agreement=agreement, actor=ward, decision="decline", reviewer_name="Ada",
                                        reason="Full")


def agreement_at(state):
    cast = new_family()
    agreement = hospital.start_as(
        actor=cast.parent, recipient=cast.family, hospital="St Example's", ward="Ward 7", ward_contact_name="Ada",
        ward_manager=cast.ward, admission_date=timezone.localdate(),
        expected_discharge=timezone.localdate() + datetime.timedelta(days=3), pas=[cast.pa], support=["postural"])
    if state == State.WARD_REVIEW:
        return SimpleNamespace(agreement=agreement, cast=cast)
    conditions = dict(reviewer_name="Ada", report_to="Nurse in charge", present_from=datetime.time(9),
                      present_until=datetime.time(17), escalation_contacts="ext 1")
    if state == State.FAMILY_CONFIRM:
        hospital.review_as_ward_manager(agreement=agreement, actor=cast.ward, decision="amend",
                                        support=["postural", "communication"], **conditions)
        return SimpleNamespace(agreement=agreement, cast=cast)
    hospital.review_as_ward_manager(agreement=agreement, actor=cast.ward, decision="accept", support=["postural"],
                                    **conditions)
    if state == State.ACTIVE:
        take_step(open_step(agreement, HospitalAgreementFlow.fund), cast.parent, hospital_services.fund,
                  hours_funded=True, insurance_covers=True, insurer="Mutual", policy_number="P1",
                  insurance_expires=timezone.localdate() + datetime.timedelta(days=300), plan={})
    agreement.refresh_from_db()
    return SimpleNamespace(agreement=agreement, cast=cast)


REVIEW_FIELDS = ["reviewer_name", "reviewer_role", "support", "report_to", "present_from", "present_until",
                 "infection_control", "id_badge", "escalation_contacts", "decision", "reason"]


@PROPERTY
@given(data=form_data(REVIEW_FIELDS, {
    "reviewer_name": "Ada Lane", "reviewer_role": "Sister", "support": "postural", "report_to": "Nurse in charge",
    "present_from": "09:00", "present_until": "17:00", "infection_control": "", "id_badge": "",
    "escalation_contacts": "ext 1", "decision": "accept", "reason": ""}))
def test_ward_review_form(client, stages, data):
    stage = stages.setdefault("review", Stage(lambda: agreement_at(State.WARD_REVIEW)))
    at = stage.get()
    client.force_login(at.cast.ward)
    if posted(client, review_url(at.agreement), data, before=high_water()):
        stage.done()


def hospital_step_property(state, node, fields, valid, extra=lambda agreement: {}):
    @PROPERTY
    @given(data=form_data(fields, valid))
    def test(client, stages, data):
        stage = stages.setdefault(state, Stage(lambda: agreement_at(state)))
        at = stage.get()
        url = step_url(client, at.agreement, node, at.cast.parent)
        if posted(client, url, {**extra(at.agreement), **data}, before=high_water()):
            stage.done()

    return test


test_confirm_changes_form = hospital_step_property(
    State.FAMILY_CONFIRM, HospitalAgreementFlow.confirm_changes, ["agreed", "notes"], {"agreed": "yes", "notes": ""})
test_fund_form = hospital_step_property(
    State.FUNDING, HospitalAgreementFlow.fund,
    ["hours_funded", "insurance_covers", "insurer", "policy_number", "insurance_expires", f"day_{timezone.localdate():%Y%m%d}"],
    {"hours_funded": "on", "insurance_covers": "on", "insurer": "Mutual", "policy_number": "P1",
     "insurance_expires": today(300), f"day_{timezone.localdate():%Y%m%d}": ""})


def agreement_action_property(name, fields, valid, *, ward=False):
    """The in-force agreement's actions always redirect (with a message when refused): the proof
    is in what they leave on the agreement, which `posted` checks."""

    @PROPERTY
    @given(data=form_data(fields, valid))
    def test(client, stages, data):
        stage = stages.setdefault(name, Stage(lambda: agreement_at(State.ACTIVE)))
        at = stage.get()
        client.force_login(at.cast.ward if ward else at.cast.parent)
        posted(client, action_url(name, at.agreement), data, before=high_water())
        at.agreement.refresh_from_db()
        in_window(at.agreement)
        if at.agreement.state == State.SUSPENDED:
            hospital_in_force.resume(agreement=at.agreement, actor=at.cast.ward)
        elif at.agreement.state != State.ACTIVE:
            stage.done()

    return test


test_discharge_form = agreement_action_property("discharge", ["discharged_on", "going", "confirm"],
                                                {"discharged_on": today(), "going": "", "confirm": "yes"})
test_expected_discharge_form = agreement_action_property("expected", ["expected_discharge"],
                                                         {"expected_discharge": today(5)})
test_suspend_form = agreement_action_property("suspend", ["reason"], {"reason": "Outbreak on the bay"}, ward=True)

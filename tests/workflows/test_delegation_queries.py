"""What a whole delegation costs in queries (issue 21; bench/delegation_flow.py measures the same
path): the step services and the competencies services in them take no savepoints of their own,
the gates use what their step has just written, and the request checks for a delegation under way
and an expired one in one read; a step's page still undoes a refused step whole."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.status import STATUS

from competencies.models import Competency, Status
from tests.factories import ProfileFactory
from workflows.delegation import services
from workflows.delegation.driving import start_delegation
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.jobs import delegation_sweep
from workflows.delegation.models import Supervision
from workflows.nodes import take_step

from .steps import PLANS, catalogue, open_task, signed_off_delegation, take

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sql(queries, start=""):
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(start)]


def reads_of(queries, table):
    return [s for s in sql(queries, "SELECT") if f'FROM "{table}"' in s]


def step(process, node, user, service, **data):
    with CaptureQueriesContext(connection) as queries:
        take_step(open_task(process, node), user, service, **data)
    return queries


def test_a_whole_delegation_stays_within_its_queries(family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    with CaptureQueriesContext(connection) as queries:
        process = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=task, reason="At night")
        for node, user, service, data in (
            (DelegationFlow.assess_risk, nurse, services.assess_risk, {"decision": "proceed", "hazards": "h"}),
            (DelegationFlow.consent, parent, services.agree, {"party": "person", "agreed": True}),
            (DelegationFlow.accept, pa, services.agree, {"party": "pa", "agreed": True}),
            (DelegationFlow.train, nurse, services.train, {
                "trained_on": timezone.localdate(), "method": "supervised_practice",
                "supervised_practices": task.supervised_practices_required}),
            (DelegationFlow.assess, nurse, services.assess, {
                "assessed_on": timezone.localdate(), "results": {c: True for c in task.criteria}}),
            (DelegationFlow.sign_off, nurse, services.sign_off, {"plans": PLANS}),
        ):
            take_step(open_task(process, node), user, service, **data)
        services.agree_as_employer(process=process, actor=parent, choice_of="person")
        services.acknowledge_as_pa(process=process, actor=pa)
    process.refresh_from_db()
    assert process.competency.status == Status.SIGNED_OFF
    # Savepoints: four are Viewflow's own (its start node, the Function node, the timer, the end),
    # nine are this test's transaction standing in for each step's own, two keep a single text's
    # insert (notifications.send_sms); none are the step services', the competencies services' (there
    # were ten pairs more) or the gateways' (six more: workflows.nodes.If and Switch).
    assert len(sql(queries, "SAVEPOINT")) == 4 + 9 + 2
    # 155 here (with the texts written: these people have mobiles), as in the benchmark (182 before
    # issue 21's third round, without its texts; the bare six-step Viewflow flow's 67)
    assert len(queries.captured_queries) <= 155


def test_the_gates_read_nothing_their_step_has_just_written(family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    process = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=task, reason="At night")

    queries = step(process, DelegationFlow.assess_risk, nurse, services.assess_risk, decision="proceed", hazards="h")
    assert reads_of(queries, "workflows_delegationriskassessment") == []  # the risk gate
    queries = step(process, DelegationFlow.consent, parent, services.agree, party="person", agreed=True)
    assert reads_of(queries, "workflows_delegationagreement") == []  # the consent gate
    queries = step(process, DelegationFlow.accept, pa, services.agree, party="pa", agreed=True)
    assert reads_of(queries, "workflows_delegationagreement") == []  # the acceptance gate
    step(process, DelegationFlow.train, nurse, services.train, trained_on=timezone.localdate(),
         method="supervised_practice", supervised_practices=task.supervised_practices_required)

    # the assessment's gate and the sign-off's review timer use the competency the step locked
    queries = step(process, DelegationFlow.assess, nurse, services.assess, assessed_on=timezone.localdate(),
                   results={c: True for c in task.criteria})
    assert len(reads_of(queries, "competencies_competency")) == 1  # the lock
    queries = step(process, DelegationFlow.sign_off, nurse, services.sign_off, plans=PLANS)
    assert len(reads_of(queries, "competencies_competency")) == 1
    timer = process.task_set.get(flow_task=DelegationFlow.wait_for_review, status=STATUS.SCHEDULED)
    process.refresh_from_db()
    competency = process.competency
    assert competency.status == Status.SIGNED_OFF
    assert timer.scheduled == competency.valid_until - services.REVIEW_NOTICE


def test_a_failed_assessment_still_goes_back_to_training(family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    process = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=task, reason="At night")
    step(process, DelegationFlow.assess_risk, nurse, services.assess_risk, decision="proceed", hazards="h")
    step(process, DelegationFlow.consent, parent, services.agree, party="person", agreed=True)
    step(process, DelegationFlow.accept, pa, services.agree, party="pa", agreed=True)
    step(process, DelegationFlow.train, nurse, services.train, trained_on=timezone.localdate(),
         method="supervised_practice", supervised_practices=task.supervised_practices_required)
    results = {c: True for c in task.criteria}
    results[task.criteria[0]] = False
    step(process, DelegationFlow.assess, nurse, services.assess, assessed_on=timezone.localdate(), results=results)
    assert open_task(process, DelegationFlow.train).status == STATUS.NEW
    assert not process.task_set.filter(flow_task=DelegationFlow.sign_off).exists()


def test_a_step_refused_after_it_wrote_is_undone_whole_on_its_page(client, family, parent, nurse, pa):
    """The review writes the re-observation, then the renewal refuses (the date has passed and the
    sweep has not yet expired it): the page shows the refusal, and the re-observation is not kept."""
    ProfileFactory(user=parent)
    process = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                    task=catalogue("tracheostomy-stoma-care"))
    until = process.competency.valid_until
    with freeze_time(until - 20 * DAY):
        delegation_sweep()  # opens the review
    with freeze_time(until + DAY):
        observed = {f"criterion_{i}": "yes" for i, _ in enumerate(process.healthcare_task.criteria)}
        response = take(client, nurse, process, DelegationFlow.review,
                        {"decision": "renew", "notes": "Observed again", **observed})
    assert response.status_code == 200
    assert "unexpired competency can be renewed" in response.content.decode()
    assert not Supervision.objects.filter(process=process, kind=Supervision.Kind.REVIEW).exists()
    assert open_task(process, DelegationFlow.review).status != STATUS.DONE

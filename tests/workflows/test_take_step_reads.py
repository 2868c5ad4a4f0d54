"""Taking a step without HTTP (workflows.nodes.take_step) reads the task and the flow's own process
row in one query that is also the flow's lock, where Viewflow's lock and `task.activation()` take
four; the step still checks its permission and is done once."""
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from workflows.delegation import services
from workflows.delegation.driving import start_delegation
from workflows.delegation.flow import DelegationFlow
from workflows.nodes import take_step

from .steps import catalogue, open_task


def reads_of_the_process(queries):
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "workflows_delegationprocess" in q["sql"]
            and "viewflow_task" not in q["sql"].split(" WHERE ")[0]]


def test_a_step_reads_its_task_and_delegation_once(family, parent, nurse, pa):
    process = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=catalogue("nebuliser"),
                               reason="Needed at night")
    task = open_task(process, DelegationFlow.assess_risk)
    with CaptureQueriesContext(connection) as queries:
        take_step(task, nurse, services.assess_risk, decision="proceed", hazards="h", controls="c")
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == nurse
    # nothing reads the delegation on its own: the task's reload, which is the flow's lock
    # (SELECT ... FOR UPDATE OF the delegation's row), brings it along with its person
    assert reads_of_the_process(queries.captured_queries) == []
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "care_carerecipient"')]
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "viewflow_process"')]


def test_a_step_taken_by_someone_without_the_permission_is_refused(family, parent, pa):
    process = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=catalogue("nebuliser"),
                               reason="Needed at night")
    task = open_task(process, DelegationFlow.assess_risk)
    with pytest.raises(PermissionDenied):
        take_step(task, pa, services.assess_risk, decision="proceed", hazards="h", controls="c")
    assert open_task(process, DelegationFlow.assess_risk).owner_id is None

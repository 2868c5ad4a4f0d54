"""The read that takes a step (workflows.nodes.take_step) is also the flow's lock on PostgreSQL:
`SELECT ... FOR UPDATE OF` the delegation's row, NOWAIT, retried as Viewflow's
select_for_update_lock retries. While another transaction holds the delegation (a concurrent step,
`pa_declines`), the step is refused with FlowLockFailed and nothing of it is written; once that
transaction ends, the same step goes through."""
import threading

import pytest
from viewflow.workflow import lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from django.db import connection, transaction
from workflows.delegation import services
from workflows.delegation.driving import start_delegation
from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationProcess, DelegationRiskAssessment
from workflows.nodes import take_step

from .steps import catalogue, open_task

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def hold_the_delegation(process, held, release):
    """Another connection locks the delegation's row as pa_declines does, until `release` is set."""
    try:
        with transaction.atomic():
            DelegationProcess.objects.select_for_update().get(pk=process.pk)
            held.set()
            release.wait(30)
    finally:
        connection.close()


def test_a_step_is_refused_while_another_transaction_holds_the_delegation(monkeypatch, family, parent, nurse, pa):
    monkeypatch.setattr(lock.select_for_update_lock, "attempts", 2)  # the same loop, a shorter wait
    process = start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=catalogue("nebuliser"),
                               reason="Needed at night")
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_the_delegation, args=(process, held, release))
    holder.start()
    try:
        assert held.wait(10)
        with pytest.raises(FlowLockFailed):
            take_step(open_task(process, DelegationFlow.assess_risk), nurse, services.assess_risk,
                      decision="proceed", hazards="h", controls="c")
    finally:
        release.set()
        holder.join()
    task = open_task(process, DelegationFlow.assess_risk)
    assert task.owner_id is None and not DelegationRiskAssessment.objects.filter(process=process).exists()

    take_step(task, nurse, services.assess_risk, decision="proceed", hazards="h", controls="c")
    task.refresh_from_db()
    assert task.status == STATUS.DONE and DelegationRiskAssessment.objects.filter(process=process).count() == 1

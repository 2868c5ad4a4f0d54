"""The delegation's and the hospital stay's gateways ask their conditions without the savepoint
Viewflow opens around each: with activation errors raised (Viewflow's default, never changed here) a
failing condition undoes the step's whole transaction, so the savepoint guarded nothing and cost two
queries a gate. Where errors are kept instead (`Context(propagate_exception=False)`), the savepoint
is taken as Viewflow takes it, so the error can be recorded on the gate's task."""
import pytest
from django.db import DatabaseError, connection
from django.db.transaction import Atomic
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.context import Context

from competencies.models import HealthcareTask
from workflows.delegation.flow import DelegationFlow
from workflows.hospital.flow import HospitalAgreementFlow
from workflows.nodes import If, Switch, _gate_savepoint


def test_every_gateway_of_both_flows_is_ours():
    for flow_class in (DelegationFlow, HospitalAgreementFlow):
        gates = [node for node in flow_class.instance.nodes() if type(node).__name__ in {"If", "Switch"}]
        assert gates and all(isinstance(node, (If, Switch)) for node in gates), flow_class


def condition_reads():
    """What a gate's condition does: read (here, one row of the catalogue)."""
    return HealthcareTask.objects.filter(code="tracheostomy-suction").exists()


def test_no_savepoint_while_errors_are_raised(db):
    with CaptureQueriesContext(connection) as queries, _gate_savepoint():
        assert condition_reads()
    assert len(queries.captured_queries) == 1
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]


def test_a_savepoint_where_errors_are_kept(db):
    """A condition that fails in the database is undone to the savepoint, so the step's transaction
    can still record the error (PostgreSQL refuses every query after a failed one without it)."""
    with Context(propagate_exception=False):
        guard = _gate_savepoint()
        assert isinstance(guard, Atomic) and guard.savepoint
        with CaptureQueriesContext(connection) as queries, pytest.raises(DatabaseError), guard:
            connection.cursor().execute("SELECT * FROM no_such_table")
    assert [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]
    assert condition_reads()  # the transaction goes on

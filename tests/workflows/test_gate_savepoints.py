"""The delegation's and the hospital stay's gateways ask their conditions without the savepoint
Viewflow opens around each: with activation errors raised (Viewflow's default, never changed here) a
failing condition undoes the step's whole transaction, so the savepoint guarded nothing and cost two
queries a gate. Where errors are kept instead (`Context(propagate_exception=False)`), the savepoint
is taken as Viewflow takes it, so the error can be recorded on the gate's task."""
from django.db import connection
from django.db.transaction import Atomic
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.context import Context

from workflows.delegation.flow import DelegationFlow
from workflows.hospital.flow import HospitalAgreementFlow
from workflows.nodes import If, Switch, _gate_savepoint


def test_every_gateway_of_both_flows_is_ours():
    for flow_class in (DelegationFlow, HospitalAgreementFlow):
        gates = [node for node in flow_class.instance.nodes() if type(node).__name__ in {"If", "Switch"}]
        assert gates and all(isinstance(node, (If, Switch)) for node in gates), flow_class


def test_no_savepoint_while_errors_are_raised(db):
    with CaptureQueriesContext(connection) as queries, _gate_savepoint():
        pass
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]


def test_a_savepoint_where_errors_are_kept(db):
    with Context(propagate_exception=False):
        guard = _gate_savepoint()
        assert isinstance(guard, Atomic) and guard.savepoint
        with CaptureQueriesContext(connection) as queries, guard:
            pass
    assert [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"]]

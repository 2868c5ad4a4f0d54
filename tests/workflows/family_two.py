"""Family two's delegation objects for the isolation walk (seed_demo has run)."""
from workflows.delegation import DelegationFlow
from workflows.delegation_models import DelegationProcess


def _signed_off_process(cast):
    return DelegationProcess.objects.filter(recipient=cast["recipient"], competency__isnull=False).earliest("created")


OBJECTS = {
    "process_pk": lambda cast: _signed_off_process(cast).pk,
    # a task of that same process, so the walk reaches each view's own permission check too
    "task_pk": lambda cast: _signed_off_process(cast).task_set.get(flow_task=DelegationFlow.assess_risk).pk,
}

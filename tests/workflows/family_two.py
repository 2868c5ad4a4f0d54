"""Family two's delegation and hospital objects for the isolation walk (seed_demo has run)."""
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows.delegation.flow import DelegationFlow
from workflows.delegation.models import DelegationProcess
from workflows.hospital import driving as hospital, links
from workflows.hospital.models import HospitalAgreement


def _signed_off_process(cast):
    return DelegationProcess.objects.filter(recipient=cast["recipient"], competency__isnull=False).earliest("created")


def _hospital_agreement(cast):
    """Family two's agreement waiting for its ward by link (made once: seed_demo gives them none)."""
    agreement = HospitalAgreement.objects.filter(recipient=cast["recipient"]).first()
    if agreement is None:
        users = get_user_model().objects.in_bulk(["other-parent", "other-pa"], field_name="username")
        agreement = hospital.start_as(
            actor=users["other-parent"], recipient=cast["recipient"], hospital="York Hospital (test)", ward="Ward 3",
            ward_contact_name="Ward 3 desk", ward_contact_email="ward3@example.invalid",
            admission_date=timezone.localdate(), expected_discharge=timezone.localdate() + datetime.timedelta(days=3),
            pas=[users["other-pa"]], support=["communication"],
        )
    return agreement


def _concern(cast):
    """A concern raised by family two's PA from one of their shifts (seed_demo raises none)."""
    import uuid

    from rota.models import Shift
    from workflows.delegation.models import Concern

    concern = Concern.objects.filter(recipient=cast["recipient"]).first()
    if concern is None:
        shift = Shift.objects.filter(recipient=cast["recipient"]).order_by("pk").first()
        concern = Concern.objects.create(
            shift=shift, recipient=cast["recipient"], raised_by=get_user_model().objects.get(username="other-pa"),
            what_happened="Family two's concern", what_they_did="Told the nurse", client_key=uuid.uuid4(),
        )
    return concern


def _ward_token(cast):
    # Only a hash is stored: give family two's agreement a fresh link and use it.
    agreement = _hospital_agreement(cast)
    return links.issue_link(agreement=agreement, actor=agreement.requested_by)


OBJECTS = {
    "process_pk": lambda cast: _signed_off_process(cast).pk,
    # a task of that same process, so the walk reaches each view's own permission check too
    "task_pk": lambda cast: _signed_off_process(cast).task_set.get(flow_task=DelegationFlow.assess_risk).pk,
    "agreement_pk": lambda cast: _hospital_agreement(cast).pk,
    "ward_token": _ward_token,
    "concern_pk": lambda cast: _concern(cast).pk,
}

# The hospital flow's own process and task ids, so its pages are walked against a real
# agreement of family two's (not a delegation id that 404s for the wrong reason).
ROUTE_OBJECTS = {
    "workflows/hospital/": {
        "process_pk": lambda cast: _hospital_agreement(cast).pk,
        "task_pk": lambda cast: _hospital_agreement(cast).task_set.order_by("-pk").first().pk,
    },
}

"""One finished PA-in-hospital agreement in family one's history: pa1 on the children's ward for
a week last spring, through the real flow (no shifts: its days are past), then discharged."""
import datetime

from django.utils import timezone
from viewflow.workflow.status import STATUS

from ..nodes import take_step
from . import driving, services
from .flow import HospitalAgreementFlow
from .models import HospitalAgreement


def seed(cast):
    one, users = cast["family_one"], cast["users"]
    if HospitalAgreement.objects.filter(recipient=one).exists():
        return
    admitted = timezone.localdate() - datetime.timedelta(days=90)
    agreement = driving.start_as(
        actor=users["parent"], recipient=one, hospital="Leeds General Infirmary (demo)", ward="Ward 51",
        ward_contact_name="Sister Dana Hale", ward_manager=users["ward"], admission_date=admitted,
        expected_discharge=admitted + datetime.timedelta(days=6), pas=[users["pa1"]],
        support=["postural", "communication", "anxiety"], support_notes="Alfie signs 'more' and 'stop'.",
    )
    driving.review_as_ward_manager(
        agreement=agreement, actor=users["ward"], decision="accept", reviewer_name="Alex Ward",
        reviewer_role="Ward manager", support=agreement.support, allows=[], report_to="Nurse in charge, bay B",
        present_from=datetime.time(9), present_until=datetime.time(17), id_badge="PA badge and photo ID",
        infection_control="Hand gel in and out", escalation_contacts="Nurse in charge; outreach team bleep 2212",
    )
    task = agreement.task_set.get(flow_task=HospitalAgreementFlow.fund, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    take_step(task, users["parent"], services.fund, hours_funded=True, insurance_covers=True,
              insurer="Example Mutual (demo)", policy_number="EL-2026-0042",
              insurance_expires=admitted + datetime.timedelta(days=365), plan={})
    driving.discharge(agreement=agreement, actor=users["parent"], discharged_on=admitted + datetime.timedelta(days=5))

"""The whole PA-in-hospital agreement through its pages, as the people who do each step."""
import pytest
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from care.models import AuditEvent
from notifications.models import Message
from rota.models import Shift
from tests.factories import ProfileFactory
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import AgreementEvent, State, WardReview

from .agreement_steps import (
    action_url, competent_pa, conditions, detail_url, discharge, funding, latest, open_task, review_url, start,
    start_data, take, task_answers, ward_manager,
)

pytestmark = pytest.mark.django_db


def test_family_starts_ward_amends_family_confirms_budget_holder_funds_and_discharge_ends_it(
        client, family, parent, carer, nurse, pa):
    ward = ward_manager(family)
    competent_pa(family, parent, nurse, pa, "tracheostomy-suction")
    competent_pa(family, parent, nurse, pa, "tracheostomy-stoma-care")

    # a carer starts it; the PA's signed-off tasks are offered, and the family asks for one
    client.force_login(carer)
    page = client.get(Flow.start.reverse("execute") + f"?recipient={family.pk}").content.decode()
    assert "Tracheostomy suction" in page and "Postural care, handling and movement" in page
    suction = pa.competencies.get(task__code="tracheostomy-suction")
    assert start(client, carer, family, start_data(pas=[pa], ward=ward, asked=[suction.pk])).status_code == 302
    agreement = latest(family)
    assert agreement.state == State.WARD_REVIEW and list(agreement.pas.all()) == [pa]
    # task by task: asked-for suction proposed as allowed, stoma care kept by the ward by default
    assert {d.task.code: d.ward_allows for d in agreement.task_decisions.all()} == {
        "tracheostomy-suction": True, "tracheostomy-stoma-care": False}
    assert Message.objects.filter(user=ward, purpose="hospital-review").count() == 1

    # the ward manager amends: the ward keeps suction too, and drops communication
    client.force_login(ward)
    assert "Tracheostomy suction" in client.get(review_url(agreement)).content.decode()
    data = {**conditions("amend", support=["postural"]), **task_answers(agreement, allow=())}
    assert client.post(review_url(agreement), data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.FAMILY_CONFIRM and agreement.report_to == "The nurse in charge at the desk"
    review = agreement.reviews.get()
    assert review.decision == WardReview.Decision.AMEND and review.reviewer == ward and not review.via_link
    assert "Removed: Communication" in review.changes

    # the family sees the changes and confirms
    task = open_task(agreement, Flow.confirm_changes)
    client.force_login(parent)
    client.post(Flow.confirm_changes.reverse("assign", args=[agreement.pk, task.pk]))
    page = client.get(Flow.confirm_changes.reverse("execute", args=[agreement.pk, task.pk])).content.decode()
    assert "Removed: Communication" in page and "the ward keeps it" in page
    assert take(client, parent, agreement, Flow.confirm_changes, {"agreed": "yes"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.FUNDING

    # the budget holder funds: insurance recorded, one hospital shift a day at the ward's hours
    response = take(client, parent, agreement, Flow.fund, funding(agreement, plan={n: pa for n in range(4)}))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE and agreement.insurer == "Example Mutual"
    assert agreement.funded_by == parent
    shifts = list(Shift.objects.filter(hospital_agreement_link__agreement=agreement).order_by("start"))
    assert len(shifts) >= 3
    for shift in shifts:
        assert shift.kind == "hospital" and shift.pa == pa and shift.status == Shift.Status.CONFIRMED
        assert shift.location == "Ward 7, St Example's Hospital"
        assert f"{timezone.localtime(shift.start):%H:%M}-{timezone.localtime(shift.end):%H:%M}" == "09:00-17:00"
        assert list(shift.tasks.all()) == []  # the ward keeps both tasks
    arrival = Message.objects.get(user=pa, purpose="hospital-active")
    # the hours and the link; where to go and who to report to are behind the link, not in the text
    assert "09:00-17:00" in arrival.body and detail_url(agreement) in arrival.body
    assert "Ward 7" not in arrival.body and "nurse in charge" not in arrival.body
    assert "suction" not in arrival.body.lower() and "trache" not in arrival.body.lower()

    # the PA sees it on their phone
    client.force_login(pa)
    page = client.get(detail_url(agreement)).content.decode()
    assert "The nurse in charge at the desk" in page and "In place" in page

    # the ward discharges today: it sees which shifts go, confirms, and the later shifts are
    # cancelled with one text to the PA; the agreement ends read-only
    page, response = discharge(client, ward, agreement)
    assert "Hospital shifts that will be cancelled" in page.content.decode()
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.DISCHARGED and agreement.discharged_on == timezone.localdate()
    assert agreement.status == PROCESS.DONE
    later = [s for s in shifts if timezone.localdate(s.start) > timezone.localdate()]
    assert later and all(Shift.objects.get(pk=s.pk).status == Shift.Status.CANCELLED for s in later)
    assert not Message.objects.filter(user=pa, purpose="rota-cancelled").exists()
    assert Message.objects.filter(user=pa, purpose="hospital-discharge").count() == 1
    assert agreement.events.filter(kind=AgreementEvent.Kind.DISCHARGED, actor=ward).exists()
    assert AuditEvent.objects.filter(recipient=family, action="hospital.discharged").exists()
    # read-only for the record: no more actions, and a second discharge changes nothing
    client.force_login(parent)
    page = client.get(detail_url(agreement)).content.decode()
    assert "Record the discharge" not in page and "Ended at discharge" in page
    client.post(action_url("discharge", agreement), {})
    assert agreement.events.filter(kind=AgreementEvent.Kind.DISCHARGED).count() == 1
    # each decision is in the audit log once, with who made it
    decisions = {action: list(AuditEvent.objects.filter(recipient=family, action=f"hospital.{action}")
                              .values_list("actor__username", flat=True))
                 for action in ("started", "reviewed", "confirmed", "funded", "discharged")}
    assert decisions == {"started": ["grandparent"], "reviewed": ["ward"], "confirmed": ["parent"],
                         "funded": ["parent"], "discharged": ["ward"]}
    printable = client.get(action_url("print", agreement))
    assert printable.status_code == 200 and "css/print.css" in printable.content.decode()
    assert "Ada Lane" in printable.content.decode()
    fund_task = agreement.task_set.get(flow_task=Flow.fund)
    detail = client.get(Flow.fund.reverse("detail", args=[agreement.pk, fund_task.pk]))
    assert detail.status_code == 200 and 'name="viewport"' in detail.content.decode()


def test_ward_declines_with_a_reason_the_family_sees(client, family, parent, pa):
    ward = ward_manager(family)
    ProfileFactory(user=parent)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    response = client.post(review_url(agreement), {**conditions("decline"), "reason": "Ward closed to visitors: outbreak"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.DECLINED and agreement.status == PROCESS.DONE
    assert not agreement.task_set.filter(flow_task=Flow.fund).exists()
    client.force_login(parent)
    assert "Ward closed to visitors: outbreak" in client.get(detail_url(agreement)).content.decode()
    assert Message.objects.filter(user=parent, purpose="hospital-answered").exists()


def test_declining_without_a_reason_is_refused_and_changes_nothing(client, family, parent, pa):
    ward = ward_manager(family)
    start(client, parent, family, start_data(pas=[pa], ward=ward))
    agreement = latest(family)
    client.force_login(ward)
    response = client.post(review_url(agreement), conditions("decline"))
    assert response.status_code == 200
    assert "Give the reason for declining" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.WARD_REVIEW and not agreement.reviews.exists()

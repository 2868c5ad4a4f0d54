"""The caseload puts the families that need the coordinator first: each family's items (shifts
needing cover, competencies suspended, expired or due for review, admissions in force, respite
hours expiring, carers' assessments due for review, budgets forecast to overspend), most urgent
first, each a link, filterable; and it costs the same queries for 100 families as for 1,000."""
import datetime
import re
from decimal import Decimal
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from care.models import CareRecipient, CareRecipientUserObjectPermission, Membership, PersonalHealthBudget, Role
from care.permissions import ROLE_PERMISSIONS
from competencies.models import Competency, HealthcareTask, Status
from respite import settlement
from respite.models import CarerAssessment, Eligibility
from rota.models import BudgetForecast, Shift
from tests.factories import CareRecipientFactory, UserFactory, member, nhs_number
from tests.respite.factories import CarerAssessmentFactory, RespiteAccountFactory
from workflows.delegation.models import Concern, ConcernResponse
from workflows.hospital.flow import HospitalAgreementFlow
from workflows.hospital.models import HospitalAgreement, State


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def admitted(recipient, by, *, since=-2, home=5, state=State.ACTIVE):
    return HospitalAgreement.objects.create(
        flow_class=HospitalAgreementFlow, recipient=recipient, requested_by=by, hospital="St Example's (test)", ward="Ward 1",
        ward_contact_name="Ward desk", ward_contact_mobile="+447700900555", admission_date=days(since),
        expected_discharge=days(home), state=state)


@pytest.fixture
def caseload(coordinator, family):
    """Six families, each with one kind of thing needing attention (or none)."""
    def person(name):
        recipient = CareRecipientFactory(display_name=name)
        member(recipient, Role.COORDINATOR, user=coordinator)
        return recipient

    quiet = person("Ann Quiet")
    review = person("Bob Review")      # a carer's assessment to review in 20 days: coming up
    CarerAssessmentFactory(recipient=review, carer=member(review, Role.CARER), review_on=days(20))
    hospital = person("Cat Hospital")  # admitted two days ago: in force
    admitted(hospital, coordinator)
    cover = person("Dan Cover")        # a shift in 3 days nobody can work: act now
    Shift.objects.create(recipient=cover, start=timezone.now() + datetime.timedelta(days=3),
                         end=timezone.now() + datetime.timedelta(days=3, hours=4), needs_cover=True,
                         cover_reason="The PA left")
    suspended = person("Eve Suspended")  # a competency suspended 2 days ago: act now, and earlier
    pa = member(suspended, Role.PA)
    Competency.objects.create(pa=pa, recipient=suspended, task=HealthcareTask.objects.get(code="nebuliser"),
                              status=Status.SUSPENDED, status_changed_at=timezone.now() - datetime.timedelta(days=2))
    expiring = person("Fay Expiring")  # respite hours credited 11 months ago expire within the month
    carer = member(expiring, Role.CARER)
    account = RespiteAccountFactory(recipient=expiring, carer=carer, period_unit="year", period_length=1,
                                    periods_start_on=days(-340), expiry_months=12)
    settlement.settle_account(account=account, now=timezone.now() - datetime.timedelta(days=340))
    return {"quiet": quiet, "review": review, "hospital": hospital, "cover": cover, "suspended": suspended,
            "expiring": expiring, "family": family}


def order_of(body, names):
    found = {name: body.find(name) for name in names}
    assert all(at >= 0 for at in found.values()), found
    return sorted(names, key=found.get)


def test_families_are_in_urgency_order_with_each_item_a_link(client, coordinator, caseload):
    client.force_login(coordinator)
    body = client.get(reverse("caseload")).content.decode()
    names = ["Eve Suspended", "Dan Cover", "Cat Hospital", "Bob Review", "Fay Expiring",
             caseload["family"].display_name, "Ann Quiet"]
    # act now (earliest first: suspended two days ago, then the shift in three days), in force,
    # coming up (review in 20 days, hours expiring in about 25), then the rest by name
    assert order_of(body, names) == names
    assert reverse("competencies:detail", args=[Competency.objects.get().pk]) in body
    assert reverse("rota:week", args=[caseload["cover"].pk]) in body
    assert reverse("workflows:hospital:process_detail", args=[HospitalAgreement.objects.get().pk]) in body
    assert reverse("respite:assessment", args=[CarerAssessment.objects.get().pk]) in body
    assert "1 shift needs cover" in body and "suspended since" in body and "due for review on" in body
    assert "of " in body and "respite expire from" in body
    assert "5 with something needing attention" in body


def test_the_caseload_filters_by_what_needs_attention(client, coordinator, caseload):
    client.force_login(coordinator)
    body = client.get(reverse("caseload"), {"what": "hospital"}).content.decode()
    assert "Cat Hospital" in body and "Dan Cover" not in body and "Ann Quiet" not in body
    body = client.get(reverse("caseload"), {"what": "cover", "q": "cat"}).content.decode()
    assert "Nobody on your caseload matches that." in body
    # an unknown filter shows everything rather than nothing
    assert "Ann Quiet" in client.get(reverse("caseload"), {"what": "nonsense"}).content.decode()


def test_an_admission_past_its_expected_discharge_comes_before_one_in_time(client, coordinator, caseload):
    admitted(caseload["quiet"], coordinator, since=-10, home=-1)
    client.force_login(coordinator)
    body = client.get(reverse("caseload")).content.decode()
    assert order_of(body, ["Ann Quiet", "Eve Suspended", "Cat Hospital"]) == ["Eve Suspended", "Ann Quiet",
                                                                               "Cat Hospital"]
    assert "was expected home" in body


def test_expired_competencies_show_until_renewed(client, coordinator, caseload):
    recipient = caseload["quiet"]
    pa = member(recipient, Role.PA)
    task = HealthcareTask.objects.get(code="nebuliser")
    expired = Competency.objects.create(pa=pa, recipient=recipient, task=task, status=Status.EXPIRED,
                                        status_changed_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(coordinator)
    assert "expired since" in client.get(reverse("caseload"), {"q": "Ann"}).content.decode()
    Competency.objects.create(pa=pa, recipient=recipient, task=task, status=Status.IN_TRAINING)
    body = client.get(reverse("caseload"), {"q": "Ann"}).content.decode()
    assert "expired since" not in body and reverse("competencies:detail", args=[expired.pk]) not in body


def test_a_concern_nobody_has_answered_needs_the_coordinator_now(client, coordinator, caseload):
    recipient = caseload["quiet"]
    pa = member(recipient, Role.PA)
    shift = Shift.objects.create(recipient=recipient, pa=pa, status=Shift.Status.COMPLETED,
                                 start=timezone.now() - datetime.timedelta(days=1, hours=5),
                                 end=timezone.now() - datetime.timedelta(days=1))
    concern = Concern.objects.create(shift=shift, recipient=recipient, raised_by=pa, what_happened="Fell",
                                     what_they_did="Called 111", client_key=uuid.uuid4())
    client.force_login(coordinator)
    body = client.get(reverse("caseload")).content.decode()
    # act now, by date: the suspension two days ago, the concern yesterday, the shift in three days
    assert order_of(body, ["Eve Suspended", "Ann Quiet", "Dan Cover"]) == ["Eve Suspended", "Ann Quiet", "Dan Cover"]
    assert f"Concern {concern.reference} raised by" in body
    assert client.get(reverse("workflows:concern", args=[concern.pk])).status_code == 200
    ConcernResponse.objects.create(concern=concern, by=coordinator, response="Spoke to the PA.")
    assert concern.reference not in client.get(reverse("caseload")).content.decode()


def bulk_caseload(coordinator, n):
    """n families in the coordinator's caseload, a share of them with something needing attention,
    written in bulk (factories would take minutes for 1,000)."""
    recipients = CareRecipient.objects.bulk_create([
        CareRecipient(display_name=f"Family {i:04d}", date_of_birth=datetime.date(2010, 5, 1),
                      nhs_number=nhs_number(200_000 + i)) for i in range(n)])
    Membership.objects.bulk_create([Membership(recipient=r, user=coordinator, role=Role.COORDINATOR,
                                               started_on=datetime.date(2025, 1, 1)) for r in recipients])
    permissions = Permission.objects.filter(content_type__app_label="care",
                                            codename__in=ROLE_PERMISSIONS[Role.COORDINATOR])
    CareRecipientUserObjectPermission.objects.bulk_create([
        CareRecipientUserObjectPermission(user=coordinator, permission=p, content_object=r)
        for r in recipients for p in permissions])
    soon = timezone.now() + datetime.timedelta(days=2)
    shifts = Shift.objects.bulk_create([Shift(recipient=r, start=soon, end=soon + datetime.timedelta(hours=4),
                                              needs_cover=True) for r in recipients[::3]])
    pa, carer = UserFactory(password=None), UserFactory(password=None)
    Concern.objects.bulk_create([Concern(shift=s, recipient=s.recipient, raised_by=pa, what_happened="-",
                                         what_they_did="-", client_key=uuid.uuid4()) for s in shifts[::4]])
    task = HealthcareTask.objects.get(code="nebuliser")
    Competency.objects.bulk_create([Competency(pa=pa, recipient=r, task=task, status=Status.SUSPENDED)
                                    for r in recipients[::5]])
    CarerAssessment.objects.bulk_create([CarerAssessment(
        recipient=r, carer=carer, assessed_on=days(-300), assessor="Test", able_to_continue=True,
        willing_to_continue=True, impact="-", outcomes="-", eligibility=Eligibility.ELIGIBLE, review_on=days(10),
        recorded_by=coordinator) for r in recipients[::7]])
    for r in recipients[:3]:
        admitted(r, coordinator)
    budgets = PersonalHealthBudget.objects.bulk_create([PersonalHealthBudget(
        recipient=r, management_option="direct_payment", direct_payment_share=100, period_start=days(-30), period_end=days(300),
        started_on=days(-30), amount=Decimal("1000.00")) for r in recipients[::11]])
    BudgetForecast.objects.bulk_create([BudgetForecast(
        budget=b, recipient=b.recipient, computed_at=timezone.now(), budget_total=b.amount,
        actual_to_date=Decimal("900.00"), forecast_total=Decimal("1200.00"), overspend=Decimal("200.00"))
        for b in budgets])


@pytest.mark.parametrize("families", [100, 1000])
def test_the_caseload_costs_the_same_queries_for_100_and_1000_families(client, db, families,
                                                                         django_assert_max_num_queries):
    coordinator = UserFactory(username="coord")
    bulk_caseload(coordinator, families)
    client.force_login(coordinator)
    # session, user, the may-create check, guardian's content type, the caseload's ids and names,
    # one query for each of the seven attention sources (the seventh, budgets forecast to overspend,
    # reads stored forecasts: rota/caseload.py), the page's families, their budget holders and
    # current budgets: 15 whatever the size of the caseload
    with django_assert_max_num_queries(15):
        response = client.get(reverse("caseload"))
    body = response.content.decode()
    assert response.status_code == 200 and f"Page 1 of {families // 25}" in body
    assert len(re.findall(r'<li class="card', body)) == 25
    # the first page is the families needing the most urgent attention: shifts and suspensions first
    assert "Family 0000" in body and "need" in body
    assert "Forecast overspend £200.00" in body  # Family 0000's stored forecast

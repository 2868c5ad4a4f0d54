"""How many texts an agreement sends each PA: one when it comes into force (however many
shifts), one for each change of plan (suspended, resumed), one at discharge (however many shifts
it cancels); none from the rota's per-shift texts, and no ward or hospital name in any."""
import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from care.models import Role
from notifications.models import Message
from tests.factories import member
from workflows.hospital import jobs
from workflows.hospital.flow import HospitalAgreementFlow as Flow

from .agreement_steps import (
    action_url, conditions, discharge, funding, latest, review_url, start, start_data, take, task_answers,
    ward_manager,
)

pytestmark = pytest.mark.django_db


def local(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_each_pa_gets_one_text_at_start_one_per_change_and_one_at_discharge(client, family, parent, pa):
    pa_two = member(family, Role.PA, username="pa-two")
    with freeze_time(local(datetime.date(2027, 3, 2), 7)) as clock:
        ward = ward_manager(family)
        start(client, parent, family, start_data(pas=[pa, pa_two], ward=ward, expected_discharge="2027-03-08"))
        agreement = latest(family)
        client.force_login(ward)
        client.post(review_url(agreement), {**conditions("accept"), **task_answers(agreement)})
        plan = {0: pa, 1: pa_two, 2: pa, 3: pa_two, 4: pa, 5: pa_two, 6: pa}
        assert take(client, parent, agreement, Flow.fund, funding(agreement, plan=plan)).status_code == 302

        def texts(user):
            return list(Message.objects.filter(user=user).order_by("pk").values_list("purpose", flat=True))

        assert texts(pa) == ["hospital-active"] and texts(pa_two) == ["hospital-active"]
        assert "2-8 Mar" in Message.objects.get(user=pa, purpose="hospital-active").body

        client.force_login(ward)
        client.post(action_url("suspend", agreement), {"reason": "Outbreak"})
        client.post(action_url("resume", agreement))
        clock.move_to(local(datetime.date(2027, 3, 3), 8))
        discharge(client, parent, agreement, "2027-03-05")  # planned: 6, 7, 8 Mar go
        clock.move_to(local(datetime.date(2027, 3, 5), 1))
        assert jobs.hospital_planned_discharges() == {"planned_discharges_ended": 1}

    per_agreement = ["hospital-active", "hospital-suspended", "hospital-resumed", "hospital-discharge"]
    assert texts(pa) == per_agreement and texts(pa_two) == per_agreement
    for body in Message.objects.filter(user__in=[pa, pa_two]).values_list("body", flat=True):
        assert "Ward 7" not in body and "St Example" not in body

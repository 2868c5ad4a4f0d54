"""A clinician signs off, renews, suspends or revokes only after entering their authenticator
code in this session; without it nothing is saved and they are sent to enter it first."""
import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.status import STATUS

from competencies.models import Status
from tests.competencies.factories import earn_sign_off
from workflows.delegation.flow import DelegationFlow

from .steps import SIGN_OFF, assessment, catalogue, open_task, take, through_to_assessment

pytestmark = pytest.mark.django_db


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def awaiting_sign_off(client, family, parent, nurse, pa):
    task = catalogue("tracheostomy-suction")
    process = through_to_assessment(client, parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    assert take(client, nurse, process, DelegationFlow.assess, assessment(task)).status_code == 302
    return process


def test_clinician_without_a_second_factor_cannot_sign_off(client, nurse, awaiting_sign_off):
    process = awaiting_sign_off
    step = open_task(process, DelegationFlow.sign_off)
    url = DelegationFlow.sign_off.reverse("execute", args=[process.pk, step.pk])
    client.logout()
    client.force_login(nurse)  # a fresh session: password only
    claimed = client.post(DelegationFlow.sign_off.reverse("assign", args=[process.pk, step.pk]))
    assert claimed.status_code == 302 and claimed.url == url

    page = client.get(url)
    assert page.status_code == 302 and page.url.startswith(reverse("two-factor"))

    response = client.post(url, SIGN_OFF, HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor"))
    process.refresh_from_db()
    assert process.competency.status == Status.ASSESSED
    assert open_task(process, DelegationFlow.sign_off).pk == step.pk

    # With the code from their authenticator, the same nurse signs off in the same session.
    device = TOTPDevice.objects.get(user=nurse, confirmed=True)  # set up earlier in this test
    entered = client.post(reverse("two-factor"), {"code": code_for(device), "next": url})
    assert entered.status_code == 302 and entered.url == url
    assert client.post(url, SIGN_OFF).status_code == 302
    process.refresh_from_db()
    assert process.competency.status == Status.SIGNED_OFF
    assert process.task_set.get(flow_task=DelegationFlow.sign_off).status == STATUS.DONE


def test_revoking_without_a_second_factor_changes_nothing(client, family, nurse, pa):
    competency = earn_sign_off(pa=pa, recipient=family, task=catalogue("tracheostomy-suction"), clinician=nurse)
    detail = reverse("competencies:detail", args=[competency.pk])
    client.force_login(nurse)

    page = client.get(detail).content.decode()
    assert "Enter my authenticator code" in page
    assert reverse("competencies:revoke", args=[competency.pk]) not in page  # no form to lose typed work in

    response = client.post(reverse("competencies:revoke", args=[competency.pk]), {"reason": "Unsafe depth", "confirm": "yes"},
                           HTTP_REFERER=f"http://testserver{detail}")
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor"))
    assert "next=" + detail.replace("/", "%2F") in response.url
    competency.refresh_from_db()
    assert competency.status == Status.SIGNED_OFF and not competency.events.filter(status=Status.REVOKED).exists()


def test_people_outside_the_circle_still_get_404_not_the_code_page(client, family, nurse, pa, other_parent):
    competency = earn_sign_off(pa=pa, recipient=family, task=catalogue("tracheostomy-suction"), clinician=nurse)
    client.force_login(other_parent)
    assert client.post(reverse("competencies:revoke", args=[competency.pk]), {"reason": "x", "confirm": "yes"}).status_code == 404

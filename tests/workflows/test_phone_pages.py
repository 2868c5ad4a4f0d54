"""The delegation pages on a 360px phone: nothing wider than the screen."""
import pytest
from django.urls import reverse

from tests.browser.conftest import chromium, has_horizontal_scroll, log_in, phone  # noqa: F401  (fixtures)
from workflows.delegation.driving import start_delegation
from workflows.delegation.flow import DelegationFlow

from .steps import catalogue, signed_off_delegation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_matrix_inbox_and_risk_assessment_fit_a_360px_phone(live_server, phone, family, parent, nurse, pa):  # noqa: F811
    signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family, task=catalogue("tracheostomy-suction"))
    waiting = start_delegation(actor=parent, recipient=family, pa=pa,
                                        healthcare_task=catalogue("oral-nasal-suction"), reason="Chest infections")
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "nurse")

    page.goto(live_server.url + reverse("competencies:matrix", args=[family.pk]))
    # on a phone the matrix is a list per PA, with the requested delegation in it
    assert page.locator(".matrix-by-pa").get_by_text("Signed off").first.is_visible()
    assert page.locator(".matrix-by-pa").get_by_text("Requested").first.is_visible()
    assert not page.locator("table.matrix").is_visible()
    assert not has_horizontal_scroll(page)

    page.goto(live_server.url + reverse("workflows:inbox"))
    page.get_by_role("button", name="Take and open").first.click()  # one tap: claimed and opened
    page.wait_for_url("**/execute/")
    assert not has_horizontal_scroll(page)
    page.fill("#id_hazards", "Small airway")
    page.get_by_label("Safe to delegate with these controls").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{DelegationFlow.instance.reverse('process_detail', args=[waiting.pk])}")
    assert page.get_by_text("Consent of the person or their representative").first.is_visible()
    assert not has_horizontal_scroll(page)


def test_the_delegation_agreement_is_agreed_and_acknowledged_on_a_360px_phone(
        live_server, phone, family, parent, nurse, pa):  # noqa: F811
    process = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                    task=catalogue("tracheostomy-suction"))
    url = live_server.url + reverse("workflows:delegation:agreement", args=[process.pk])
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "parent")
    page.goto(url)
    assert not has_horizontal_scroll(page)
    page.get_by_label("Their representative's choice on their behalf").check()
    page.get_by_label("The representative's name").fill("Dana Ashworth-Montgomery-Fitzwilliam (mother)")
    page.get_by_label("As the PA's employer, I agree").check()
    page.get_by_role("button", name="Agree as the employer").click()
    page.wait_for_url(url)
    assert page.get_by_text("Waiting for the PA to acknowledge it.").is_visible()
    assert not has_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, live_server.url, "pa")
    page.goto(url)
    assert page.get_by_text("Call 999, then the nurse on the care plan.").is_visible()  # the emergency plan
    page.get_by_label("I have read the controls and the emergency plan").check()
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(url)
    assert page.get_by_text("Agreed by all three parties.").is_visible()
    assert not has_horizontal_scroll(page)

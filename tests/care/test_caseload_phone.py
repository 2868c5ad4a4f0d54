"""The coordinator's caseload, the quarterly return and a carer's assessment read on a 360 px phone."""
import os

import pytest
from django.core.management import call_command

from respite.models import CarerAssessment
from tests.browser.conftest import PHONE, chromium, has_horizontal_scroll, log_in, phone  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name):
    if os.environ.get("CASELOAD_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["CASELOAD_SCREENSHOTS"], name), full_page=True)


@pytest.fixture
def demo():
    # before the browser opens: seeding broadcasts rota changes, which cannot run inside
    # Playwright's event loop
    call_command("seed_demo")


def test_the_coordinators_pages_and_a_carers_assessment_fit_a_phone(live_server, demo, chromium, phone):  # noqa: F811
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "coordinator")
    for path, name, expect in [
        ("/families/", "caseload.png", "due for review on"),
        ("/families/?what=assessment", "caseload-filtered.png", "Alfie Demo"),
        ("/families/return/", "return.png", "began in the quarter"),
        ("/families/new/", "family-new.png", "A mix: direct payment share"),
        (f"/respite/people/{CarerAssessment.objects.get().recipient_id}/assessments/new/", "assessment-new.png",
         "Is the carer able to go on caring?"),
    ]:
        page.goto(f"{live_server.url}{path}")
        assert expect in page.content(), path
        assert not has_horizontal_scroll(page), path
        screenshot(page, name)
    grandparent = chromium.new_context(**PHONE).new_page()  # a second phone, signed in as the carer
    log_in(grandparent, live_server.url, "grandparent")
    grandparent.set_viewport_size({"width": 360, "height": 780})
    grandparent.goto(f"{live_server.url}/respite/assessments/{CarerAssessment.objects.get().pk}/")
    assert "Broken sleep" in grandparent.content() and not has_horizontal_scroll(grandparent)
    screenshot(grandparent, "assessment.png")

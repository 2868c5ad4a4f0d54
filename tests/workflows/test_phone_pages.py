"""The delegation pages on a 360px phone: nothing wider than the screen."""
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from tests.browser.conftest import CHROMIUM_ARGS, PHONE, has_horizontal_scroll, log_in
from workflows import delegation_services as services
from workflows.delegation import DelegationFlow

from .steps import catalogue, signed_off_delegation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_own_browser(steps):
    """Run `steps(page)` in a fresh Chromium on a worker thread: tests/browser's session-wide
    browser owns this thread's Playwright event loop, and a second one here would not start."""
    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_context(**PHONE).new_page()
                page.set_viewport_size({"width": 360, "height": 780})
                return steps(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)


def test_matrix_inbox_and_risk_assessment_fit_a_360px_phone(live_server, family, parent, nurse, pa):
    signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family, task=catalogue("tracheostomy-suction"))
    waiting = services.start_delegation(actor=parent, recipient=family, pa=pa,
                                        healthcare_task=catalogue("oral-nasal-suction"), reason="Chest infections")
    process_url = DelegationFlow.instance.reverse("process_detail", args=[waiting.pk])

    def steps(page):
        seen = {}
        log_in(page, live_server.url, "nurse")
        page.goto(live_server.url + reverse("competencies:matrix", args=[family.pk]))
        seen["matrix says signed off"] = page.get_by_text("Signed off").first.is_visible()
        seen["matrix scrolls sideways"] = has_horizontal_scroll(page)
        page.goto(live_server.url + reverse("workflows:inbox"))
        page.get_by_role("link", name="Clinical risk assessment").click()
        page.get_by_role("button", name="Take this step").click()
        page.wait_for_url("**/execute/")
        seen["form scrolls sideways"] = has_horizontal_scroll(page)
        page.fill("#id_hazards", "Small airway")
        page.get_by_label("Safe to delegate with these controls").check()
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**{process_url}")
        seen["waiting for consent"] = page.get_by_text("Consent of the person or their representative").first.is_visible()
        seen["process scrolls sideways"] = has_horizontal_scroll(page)
        return seen

    assert in_own_browser(steps) == {
        "matrix says signed off": True, "matrix scrolls sideways": False, "form scrolls sideways": False,
        "waiting for consent": True, "process scrolls sideways": False,
    }

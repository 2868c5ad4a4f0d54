"""A carer books respite on a 360 px phone: the page fits, the chart draws, the booking lands."""
import datetime
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from respite.models import BookingStatus, RespiteBooking
from tests.browser.conftest import CHROMIUM_ARGS, PHONE, has_horizontal_scroll, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_own_browser(steps):
    """Run `steps(page)` in a fresh Chromium on its own thread.

    tests/browser's session-wide browser owns this thread's Playwright event loop (a second
    sync_playwright here would refuse to start), so this one lives and dies on a worker thread.
    """
    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(**PHONE)
                page = context.new_page()
                page.set_viewport_size({"width": 360, "height": 780})
                return steps(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)


def screenshot(page, name):
    if os.environ.get("RESPITE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["RESPITE_SCREENSHOTS"], name), full_page=True)


def test_a_carer_books_respite_on_a_phone(live_server, parent, pa, funded_account):
    account = funded_account(parent)
    day = timezone.localdate() + datetime.timedelta(days=4)

    def steps(page):
        seen = {}
        log_in(page, live_server.url, "parent")
        page.goto(f"{live_server.url}/respite/accounts/{account.pk}/")
        seen["balance before"] = page.locator(".respite-balance strong").inner_text()
        seen["chart lines"] = page.locator(".respite-chart svg path.line").count()
        seen["scrolls sideways"] = has_horizontal_scroll(page)
        screenshot(page, "account.png")
        page.get_by_role("link", name="Book respite").click()
        page.fill("#id_start", f"{day.isoformat()}T10:00")
        page.fill("#id_end", f"{day.isoformat()}T13:00")
        seen["form scrolls sideways"] = has_horizontal_scroll(page)
        page.get_by_role("button", name="Book").click()
        page.wait_for_url(f"**/respite/accounts/{account.pk}/")
        seen["message"] = page.locator(".messages").inner_text()
        seen["balance after"] = page.locator(".respite-balance strong").inner_text()
        seen["booked page scrolls sideways"] = has_horizontal_scroll(page)
        screenshot(page, "booked.png")
        return seen

    seen = in_own_browser(steps)
    assert seen == {
        "balance before": "8", "chart lines": 1, "scrolls sideways": False, "form scrolls sideways": False,
        "message": seen["message"], "balance after": "5", "booked page scrolls sideways": False,
    }
    assert "the shift is offered to your PAs" in seen["message"]
    assert RespiteBooking.objects.get().status == BookingStatus.BOOKED

"""A carer books respite on a 360 px phone: the page fits, the chart draws, the booking lands."""
import datetime
import os

import pytest
from django.utils import timezone

from respite.models import BookingStatus, RespiteBooking
from tests.browser.conftest import chromium, has_horizontal_scroll, log_in, phone  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name):
    if os.environ.get("RESPITE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["RESPITE_SCREENSHOTS"], name), full_page=True)


def test_a_carer_books_respite_on_a_phone(live_server, phone, parent, pa, funded_account):  # noqa: F811
    account = funded_account(parent)
    day = timezone.localdate() + datetime.timedelta(days=4)
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "parent")
    page.goto(f"{live_server.url}/respite/accounts/{account.pk}/")
    assert page.locator(".respite-balance strong").inner_text() == "8"
    assert page.locator(".respite-chart svg path.line").count() == 1
    assert not has_horizontal_scroll(page)
    screenshot(page, "account.png")

    page.get_by_role("link", name="Book respite").click()
    page.fill("#id_start", f"{day.isoformat()}T10:00")
    page.fill("#id_end", f"{day.isoformat()}T13:00")
    assert not has_horizontal_scroll(page)
    page.get_by_role("button", name="Book").click()
    page.wait_for_url(f"**/respite/accounts/{account.pk}/")
    assert "the shift is offered to your PAs" in page.locator(".messages").inner_text()
    assert page.locator(".respite-balance strong").inner_text() == "5"
    assert not has_horizontal_scroll(page)
    screenshot(page, "booked.png")
    assert RespiteBooking.objects.get().status == BookingStatus.BOOKED

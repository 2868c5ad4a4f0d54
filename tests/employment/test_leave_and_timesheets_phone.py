"""The leave request page and the timesheets page (with the holiday balances) on a 360 px phone:
no sideways scroll, and every figure and box readable within the screen."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import PHONE, chromium, log_in, phone  # noqa: F401
from tests.rota.factories import ShiftFactory, at

from .factories import absence, terms, worked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 360


@pytest.fixture
def scene(family, parent, pa, pa2):
    """A PA with a long name on regular hours, another on irregular hours, a request waiting, a
    decided one and sickness, and a few approved timesheets."""
    pa.first_name, pa.last_name = "Maximilienne", "Featherstonehaugh-Worthington"
    pa.save()
    today = timezone.localdate()
    terms(family, pa, weekly_hours=Decimal("37.5"), days_per_week=Decimal("5"),
          effective_from=today - datetime.timedelta(days=400))
    terms(family, pa2, contract="irregular", effective_from=today - datetime.timedelta(days=400))
    absence(family, pa, today + datetime.timedelta(days=20), today + datetime.timedelta(days=24),
            hours=Decimal("37.5"), status="requested")
    # A reason typed as one long unbroken word (a link) must wrap, not push the page sideways.
    absence(family, pa, today + datetime.timedelta(days=60), hours=Decimal("7.5"), decided_by=parent,
            decision_reason="Cover: https://example.org/rota/family/cover-arrangements-for-the-summer-holidays")
    absence(family, pa, today - datetime.timedelta(days=9), kind="sickness")
    for n in range(2, 5):
        day = today - datetime.timedelta(days=n)
        worked(ShiftFactory(recipient=family, pa=pa, start=at(day, 9), end=at(day, 17)), approver=parent)
        worked(ShiftFactory(recipient=family, pa=pa2, start=at(day, 18), end=at(day, 22)), approver=parent)
    return today


def at_360(phone, base_url, username):  # noqa: F811
    page = phone.new_page()
    page.set_viewport_size({"width": WIDTH, "height": 780})
    log_in(page, base_url, username)
    return page


def fits(page):
    """No sideways scroll, and nothing visible reaching past the screen's right edge."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    wide = page.evaluate("""(w) => [...document.querySelectorAll('main *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > w + 0.5)
        .map(e => e.tagName + ' ' + (e.id || e.className) + ' ' + Math.round(e.getBoundingClientRect().right))""", WIDTH)
    assert wide == []


def readable(locator, min_width=100):
    """Each figure on the screen and at least `min_width` px wide: not a letter a line."""
    assert locator.count() >= 1
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box["width"] >= min_width and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (
            locator.nth(i).inner_text(), box)


def test_the_leave_page_fits_a_360px_phone_for_the_pa(live_server, phone, family, pa, scene):  # noqa: F811
    page = at_360(phone, live_server.url, "pa")
    page.goto(f"{live_server.url}/employment/{family.pk}/leave/")
    assert page.get_by_role("heading", name="Ask for leave").is_visible()
    fits(page)
    readable(page.locator("ul.cards li.card"), min_width=250)
    readable(page.locator("main form input:visible, main form select:visible"), min_width=44)
    page.fill("#id_first_day", (scene + datetime.timedelta(days=40)).isoformat())
    page.fill("#id_last_day", (scene + datetime.timedelta(days=41)).isoformat())
    page.get_by_role("button", name="Ask for leave").click()
    page.wait_for_load_state()
    assert "Your leave request is with the budget holder" in page.content()
    fits(page)


def test_the_leave_page_fits_a_360px_phone_for_the_budget_holder(live_server, phone, family, parent, scene):  # noqa: F811
    page = at_360(phone, live_server.url, "parent")
    page.goto(f"{live_server.url}/employment/{family.pk}/leave/")
    assert page.get_by_role("button", name="Decide").is_visible()
    fits(page)
    readable(page.locator("ul.cards li.card"), min_width=250)


def test_the_timesheets_page_and_holiday_balances_fit_a_360px_phone(live_server, chromium, phone, family, parent,
                                                                    pa, scene):  # noqa: F811
    page = at_360(phone, live_server.url, "parent")
    page.goto(f"{live_server.url}/timesheets/family/{family.pk}/")
    assert page.get_by_role("heading", name="Holiday this leave year").is_visible()
    fits(page)
    balances = page.locator("ul.cards").first.locator("li.card")
    assert balances.count() == 2
    readable(balances, min_width=250)
    body = balances.first.inner_text() + balances.nth(1).inner_text()
    assert "Entitled to 28 days (210 h)" in body and "12.07% of hours worked" in body
    readable(page.locator("ul.cards").nth(1).locator("li.card"), min_width=250)
    own = chromium.new_context(**PHONE)  # the PA on their own phone: only their own balance
    page = at_360(own, live_server.url, "pa")
    page.goto(f"{live_server.url}/timesheets/family/{family.pk}/")
    assert "12.07% of hours worked" not in page.content()
    fits(page)
    readable(page.locator("ul.cards li.card"), min_width=250)
    own.close()


def test_a_timesheet_waiting_for_approval_fits_a_360px_phone(live_server, phone, family, parent, pa,
                                                             scene):  # noqa: F811
    day = scene - datetime.timedelta(days=1)
    waiting = worked(ShiftFactory(recipient=family, pa=pa, kind="sleep_in", start=at(day, 22),
                                  end=at(day + datetime.timedelta(days=1), 7)),
                     approver=parent, woken_minutes=45, approve=False)
    page = at_360(phone, live_server.url, "parent")
    page.goto(f"{live_server.url}/timesheets/{waiting.pk}/")
    assert page.get_by_role("button", name="Approve for pay").is_visible()
    fits(page)
    readable(page.locator("dl.facts dd"), min_width=150)
    readable(page.locator("ol.cards li.card"), min_width=250)
    readable(page.locator("main form input:visible, main form select:visible"), min_width=44)

"""The budget page's actual figures and the pay page read on a 360 px phone."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser.conftest import chromium, has_horizontal_scroll, log_in, phone  # noqa: F401
from tests.employment.factories import terms, worked
from tests.factories import BudgetFactory

from .factories import ShiftFactory, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spent(family, parent, pa):
    today = timezone.localdate()
    BudgetFactory(recipient=family, period_start=today - datetime.timedelta(days=200),
                  period_end=today + datetime.timedelta(days=165), amount=Decimal("123456.00"))
    terms(family, pa, night_uplift_percent=Decimal("10"), effective_from=today - datetime.timedelta(days=300))
    for n in range(1, 4):
        day = today - datetime.timedelta(days=n)
        worked(ShiftFactory(recipient=family, pa=pa, start=at(day, 9), end=at(day, 17)), approver=parent)
    return today


def open_at_360(phone, url):  # noqa: F811
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    return page


def test_actual_against_plan_reads_on_a_360px_phone(live_server, phone, family, parent, spent):  # noqa: F811
    page = open_at_360(phone, live_server.url)
    log_in(page, live_server.url, "parent")
    page.goto(f"{live_server.url}/rota/{family.pk}/budget/")
    cells = page.locator("table.figures td")
    assert cells.count() >= 24
    for i in range(cells.count()):
        box = cells.nth(i).bounding_box()
        assert box["height"] < 40, (cells.nth(i).inner_text(), box)  # a figure on one line, not a letter a line
    assert not has_horizontal_scroll(page)


def test_the_pay_page_reads_on_a_360px_phone(live_server, phone, family, parent, spent):  # noqa: F811
    page = open_at_360(phone, live_server.url)
    log_in(page, live_server.url, "parent")
    page.goto(f"{live_server.url}/pay/{family.pk}/?from={(spent - datetime.timedelta(days=7)).isoformat()}"
              f"&to={spent.isoformat()}")
    figures = page.locator("dl.facts dd")
    assert figures.count() >= 8
    for i in range(figures.count()):
        assert figures.nth(i).bounding_box()["width"] >= 100, figures.nth(i).inner_text()
    assert not has_horizontal_scroll(page)

import pytest

from tests.browser.conftest import has_horizontal_scroll, log_in
from tests.factories import BudgetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_and_person_pages_fit_a_360px_phone(live_server, phone, family, parent):
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "parent")
    assert page.get_by_role("link", name=family.display_name).is_visible()
    assert not has_horizontal_scroll(page)
    page.get_by_role("link", name=family.display_name).click()
    page.wait_for_url(f"**/people/{family.pk}/")
    assert page.get_by_role("heading", name=family.display_name).is_visible()
    assert not has_horizontal_scroll(page)


def test_a_wrong_password_shows_a_clear_message(live_server, phone, parent):
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "parent")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert "correct username and password" in page.get_by_role("alert").inner_text()


def test_the_budget_figures_read_on_a_360px_phone(live_server, phone, family, parent):
    """A long label ("Of which open shifts (estimated at the minimum wage)") once took the whole
    row and left each figure one character a line. Every figure keeps at least its own width."""
    BudgetFactory(recipient=family)
    page = phone.new_page()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "parent")
    page.goto(f"{live_server.url}/rota/{family.pk}/budget/")
    figures = page.locator("dl.facts dd")
    assert figures.count() >= 5
    for i in range(figures.count()):
        box = figures.nth(i).bounding_box()
        assert box["width"] >= 120, (figures.nth(i).inner_text(), box)
    assert not has_horizontal_scroll(page)

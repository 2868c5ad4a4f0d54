"""The rota's planning pages on a phone as a family and a PA use them: making a weekly pattern with
the phone's own pickers, and every new page readable at 390 and 360 px without sideways scrolling."""
import datetime

import pytest
from django.urls import reverse

from rota.models import Shift
from tests.browser.conftest import has_horizontal_scroll, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page, url):
    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        assert not has_horizontal_scroll(page), (url, width)


def test_a_budget_holder_makes_a_weekly_pattern_on_a_phone(live_server, phone, family, parent, pa):
    page = phone.new_page()
    log_in(page, live_server.url, "parent")
    page.goto(f"{live_server.url}{reverse('rota:week', args=[family.pk])}")
    page.get_by_role("link", name="Repeat weekly").click()
    page.set_viewport_size({"width": 360, "height": 800})
    assert not has_horizontal_scroll(page)
    monday = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
    page.fill("#id_starts_on", monday.isoformat())
    page.fill("#id_weeks", "2")
    page.select_option("#id_pa", str(pa.pk))
    page.get_by_role("button", name="Make the shifts").click()
    page.wait_for_selector(".messages")
    assert "10 shifts made" in page.locator(".messages").inner_text()
    assert not has_horizontal_scroll(page)
    assert Shift.objects.filter(pattern__isnull=False, pa=pa).count() == 10
    for name in ("rota:copy_week", "rota:settings"):
        fits(page, f"{live_server.url}{reverse(name, args=[family.pk])}")
    fits(page, f"{live_server.url}{reverse('rota:week', args=[family.pk])}?week={monday.isoformat()}")


def test_a_pas_own_pages_fit_a_phone(live_server, phone, pa):
    pa.set_password("demo-pass-2026")
    pa.save()
    page = phone.new_page()
    log_in(page, live_server.url, pa.username)
    for name in ("rota:mine", "rota:reminders", "rota:availability", "rota:calendar"):
        fits(page, f"{live_server.url}{reverse(name)}")

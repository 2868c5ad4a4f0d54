"""A swap on a phone: the booked PA asks a colleague on the shift page, the budget holder approves
on the swaps page; both pages readable at 390 and 360 px without sideways scrolling."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Role
from rota import services
from rota.models import Shift
from tests.browser.conftest import has_horizontal_scroll, log_in
from tests.factories import member
from tests.rota.factories import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page):
    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert not has_horizontal_scroll(page), (page.url, width)


def test_a_swap_asked_and_approved_on_phones(live_server, phone, family, parent, pa):
    pa2 = member(family, Role.PA, username="pa-two")
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, pa=pa, tell_pa=False)
    for user in (pa, parent):
        user.set_password("demo-pass-2026")
        user.save()
    services.update_rota_settings(recipient=family, actor=parent, offer_follow_up_hours=12)  # approval by hand

    page = phone.new_page()
    log_in(page, live_server.url, pa.username)
    page.goto(f"{live_server.url}{reverse('rota:shift', args=[shift.pk])}")
    fits(page)
    page.select_option("#id_swap_to_pa", str(pa2.pk))
    page.get_by_role("button", name="Ask them").click()
    page.wait_for_selector(".messages")
    assert "Asked" in page.locator(".messages").inner_text()
    fits(page)
    swap = shift.swaps.get()
    services.answer_swap(swap=swap, pa=pa2, accept=True)

    phone.clear_cookies()  # the budget holder's own phone
    page = phone.new_page()
    log_in(page, live_server.url, parent.username)
    page.goto(f"{live_server.url}{reverse('rota:swaps', args=[family.pk])}")
    fits(page)
    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_selector(".messages")
    assert "Swap approved" in page.locator(".messages").inner_text()
    fits(page)
    assert Shift.objects.get(pk=shift.pk).pa == pa2

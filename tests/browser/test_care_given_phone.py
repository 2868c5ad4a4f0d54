"""A PA records care given on a shift from a phone (390 and 360 px), one-handed: the send that
fails on a weak signal keeps what was typed, and sending again records it once."""
import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import has_horizontal_scroll, log_in
from tests.rota.factories import ShiftFactory
from workflows.delegation.models import CareGiven

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shift(family, pa):
    from competencies.catalogue import install
    from competencies.models import HealthcareTask

    install()  # a transactional test may have flushed the shipped catalogue
    start = timezone.now() - datetime.timedelta(hours=1)
    shift = ShiftFactory(recipient=family, pa=pa, start=start, end=start + datetime.timedelta(hours=6))
    shift.tasks.set([HealthcareTask.objects.get(code="capillary-blood-glucose")])
    return shift


@pytest.mark.parametrize("width", [390, 360])
def test_a_pa_records_care_on_a_phone_and_a_failed_send_keeps_the_input(live_server, phone, shift, pa, width):
    page = phone.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server.url, pa.username)
    page.get_by_role("link", name="Record the care given on your shift").first.click()
    page.wait_for_url(f"**/shifts/{shift.pk}/care-given/")
    assert not has_horizontal_scroll(page)

    page.get_by_label("Blood glucose (mmol/L)").fill("6.8")
    page.get_by_role("radio", name="Done", exact=True).check()
    page.get_by_role("textbox", name="Note (say why if not done)").fill("Before lunch")

    # the signal drops: the send fails, and everything typed is still there
    page.route("**/care-given/", lambda route: route.abort("internetdisconnected")
               if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("Not sent").wait_for()
    assert page.get_by_label("Blood glucose (mmol/L)").input_value() == "6.8"
    assert page.get_by_role("radio", name="Done", exact=True).is_checked()
    assert not CareGiven.objects.exists()

    # even a reload keeps it (the phone's own storage), then the signal comes back
    page.reload()
    assert page.get_by_label("Blood glucose (mmol/L)").input_value() == "6.8"
    page.unroute("**/care-given/")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("Recorded (R").first.wait_for()
    entry = CareGiven.objects.get()
    assert entry.observations == {"glucose": "6.8"} and entry.note == "Before lunch"
    assert page.get_by_label("Blood glucose (mmol/L)").input_value() == ""
    assert not has_horizontal_scroll(page)

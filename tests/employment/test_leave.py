"""Holiday asked for and decided, sickness recorded, and the rota refusing a PA who is away."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent
from employment import services
from employment.models import Absence
from notifications.models import Message
from rota import services as rota
from rota.models import Shift
from tests.rota.factories import ShiftFactory, at

from .factories import absence

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=20)


def test_pa_asks_for_leave_on_the_page_and_the_budget_holder_approves_it(client, family, parent, pa):
    client.force_login(pa)
    response = client.post(reverse("employment:leave", args=[family.pk]),
                           {"first_day": SOON.isoformat(), "last_day": (SOON + datetime.timedelta(days=4)).isoformat(),
                            "hours": "30"})
    assert response.status_code == 302
    request = Absence.objects.get(pa=pa)
    assert (request.status, request.hours) == ("requested", 30)

    client.force_login(parent)
    page = client.get(reverse("employment:leave", args=[family.pk]))
    assert "Waiting for a decision" in page.content.decode()
    response = client.post(reverse("employment:decide", args=[request.pk]), {"decision": "approve"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", parent)
    actions = list(AuditEvent.objects.filter(recipient=family).values_list("action", flat=True))
    assert "employment.leave_requested" in actions and "employment.leave_approved" in actions
    assert Message.objects.filter(user=pa, body__contains="is approved").exists()


def test_leave_overlapping_leave_is_refused_and_nothing_is_saved(family, pa):
    services.request_leave(recipient=family, pa=pa, actor=pa, first_day=SOON, last_day=SOON + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="overlaps"):
        services.request_leave(recipient=family, pa=pa, actor=pa, first_day=SOON + datetime.timedelta(days=2),
                               last_day=SOON + datetime.timedelta(days=5))
    assert Absence.objects.filter(pa=pa).count() == 1


def test_reversed_days_are_refused(family, pa):
    with pytest.raises(ValidationError, match="cannot be before"):
        services.request_leave(recipient=family, pa=pa, actor=pa, first_day=SOON, last_day=SOON - datetime.timedelta(days=1))
    assert not Absence.objects.exists()


def test_declining_needs_a_reason_and_the_pa_sees_it(family, parent, pa):
    request = services.request_leave(recipient=family, pa=pa, actor=pa, first_day=SOON, last_day=SOON)
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_leave(absence=request, actor=parent, approve=False)
    services.decide_leave(absence=request, actor=parent, approve=False, reason="Two PAs already off that week")
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == ("declined", "Two PAs already off that week")
    assert AuditEvent.objects.filter(action="employment.leave_declined").count() == 1


def test_a_second_decision_is_told_the_first_won(family, parent, coordinator, pa):
    other_holder = parent
    request = services.request_leave(recipient=family, pa=pa, actor=pa, first_day=SOON, last_day=SOON)
    services.decide_leave(absence=request, actor=parent, approve=True)
    with pytest.raises(ValidationError, match="already approved"):
        services.decide_leave(absence=request, actor=other_holder, approve=False, reason="no")
    assert Absence.objects.get(pk=request.pk).status == "approved"


def test_a_booking_over_approved_leave_is_refused_with_the_reason(family, parent, pa, monday):
    absence(family, pa, monday, monday + datetime.timedelta(days=4))
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 17))
    with pytest.raises(ValidationError, match="on holiday Mon 01 Mar–Fri 05 Mar"):
        rota.confirm_shift(shift=shift, pa=pa, actor=parent)
    assert Shift.objects.get(pk=shift.pk).pa is None


def test_leave_waiting_for_a_decision_does_not_block(family, parent, pa, monday):
    absence(family, pa, monday, status="requested")
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 17))
    assert rota.confirm_shift(shift=shift, pa=pa, actor=parent).pa == pa


def test_a_night_ending_on_a_leave_day_is_refused(family, parent, pa, monday):
    absence(family, pa, monday + datetime.timedelta(days=1))
    night = ShiftFactory(recipient=family, start=at(monday, 22), end=at(monday + datetime.timedelta(days=1), 8),
                         kind="sleep_in")
    with pytest.raises(ValidationError, match="on holiday"):
        rota.confirm_shift(shift=night, pa=pa, actor=parent)


def test_leave_with_another_family_does_not_block(family, other_family, parent, pa, monday):
    absence(other_family, pa, monday)
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 17))
    assert rota.confirm_shift(shift=shift, pa=pa, actor=parent).pa == pa


def test_a_leave_request_blocks_an_offer(family, parent, pa, pa2, monday):
    absence(family, pa, monday)
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 17))
    offer = rota.offer_shift(shift=shift, actor=parent)
    assert offer.eligible == [pa2]
    assert not Message.objects.filter(user=pa).exists()
    assert Message.objects.filter(user=pa2, purpose="rota-offer").exists()


def test_an_offer_nobody_free_can_take_is_refused(family, parent, pa, monday):
    absence(family, pa, monday)
    shift = ShiftFactory(recipient=family, start=at(monday, 9), end=at(monday, 17))
    with pytest.raises(ValidationError, match="No PA"):
        rota.offer_shift(shift=shift, actor=parent)


def test_approving_leave_flags_the_pas_booked_shifts_as_needing_cover(family, parent, pa, monday):
    shift = rota.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 17), kind="day", actor=parent, pa=pa)
    request = absence(family, pa, monday, status="requested")
    services.decide_leave(absence=request, actor=parent, approve=True)
    shift.refresh_from_db()
    assert shift.needs_cover and shift.cover_reason == "The PA is on approved leave."
    assert shift.pa == pa  # kept on record, as any shift needing cover


def test_sickness_is_a_category_and_flags_shifts_through_the_rotas_path(client, family, parent, pa):
    today = timezone.localdate()
    start = timezone.now() + datetime.timedelta(hours=2)
    shift = ShiftFactory(recipient=family, pa=pa, start=start, end=start + datetime.timedelta(hours=4))
    client.force_login(pa)
    response = client.post(reverse("employment:sickness", args=[family.pk]),
                           {"pa": pa.pk, "first_day": today.isoformat(), "last_day": today.isoformat(),
                            "category": "illness"})
    assert response.status_code == 302
    sick = Absence.objects.get(pa=pa, kind="sickness")
    assert (sick.status, sick.category) == ("approved", "illness")
    shift.refresh_from_db()
    assert shift.needs_cover and shift.cover_reason == "The PA is off sick."
    assert AuditEvent.objects.filter(action="employment.sickness_recorded").exists()
    assert AuditEvent.objects.filter(action="rota.needs_cover").exists()
    assert not Message.objects.filter(body__icontains="sick").exists()  # texts never say why


def test_a_pa_records_sickness_only_for_themselves(client, family, pa, pa2):
    client.force_login(pa)
    today = timezone.localdate()
    client.post(reverse("employment:sickness", args=[family.pk]),
                {"pa": pa2.pk, "first_day": today.isoformat(), "last_day": today.isoformat(), "category": "injury"})
    assert not Absence.objects.exists()


@pytest.mark.parametrize("name", ["leave", "sickness"])
def test_leave_pages_are_404_outside_the_circle(client, family, other_parent, name):
    client.force_login(other_parent)
    if name == "leave":
        assert client.get(reverse(f"employment:{name}", args=[family.pk])).status_code == 404
    assert client.post(reverse(f"employment:{name}", args=[family.pk])).status_code == 404


def test_leave_page_is_403_for_a_carer_who_is_neither_pa_nor_budget_holder(client, family, carer, parent):
    url = reverse("employment:leave", args=[family.pk])
    client.force_login(carer)
    assert client.get(url).status_code == 403
    client.force_login(parent)
    assert client.get(url).status_code == 200


def test_deciding_is_403_for_a_pa_404_outside_405_on_get(client, family, parent, pa, other_parent):
    request = absence(family, pa, SOON, status="requested")
    url = reverse("employment:decide", args=[request.pk])
    client.force_login(other_parent)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.force_login(pa)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(parent)
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert Absence.objects.get(pk=request.pk).status == "approved"


def test_approved_leave_shows_on_the_rota_week(client, family, parent, pa, monday):
    absence(family, pa, monday, monday + datetime.timedelta(days=1))
    absence(family, pa, monday + datetime.timedelta(days=3), status="requested")
    client.force_login(parent)
    body = client.get(reverse("rota:week", args=[family.pk]), {"week": monday.isoformat()}).content.decode()
    assert "Away this week:" in body and "on holiday Mon 01 Mar–Tue 02 Mar" in body
    assert "Thu 04 Mar" not in body.split("Away this week:")[1].split("</p>")[0]  # waiting: not shown

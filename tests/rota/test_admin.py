"""The admin changes shifts through rota.services: the same rules refuse the same things there."""
import pytest
from django.urls import reverse

from rota import services
from rota.models import Shift
from tests.factories import UserFactory

from .factories import YEAR, at


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def change_form(shift, **overrides):
    data = {
        "start_0": f"{YEAR}-03-01", "start_1": "09:00:00", "end_0": f"{YEAR}-03-01", "end_1": "12:00:00",
        "kind": "day", "notes": "", "location": "", "expected_version": shift.version,
    }
    data.update(overrides)
    return data


def test_admin_edit_goes_through_the_service(admin_client, family, parent, pa, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day",
                                  actor=parent, pa=pa)
    url = reverse("admin:rota_shift_change", args=[shift.pk])
    response = admin_client.post(url, change_form(shift, end_1="13:00:00", notes="From admin"))
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.end == at(monday, 13) and shift.notes == "From admin" and shift.version == 3
    assert list(shift.recipient.rota_changes.values_list("seq", flat=True)) == [1, 2]  # booked, then edited


def test_admin_edit_is_refused_by_the_gate_and_the_stale_check(admin_client, family, parent, pa, suction, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day",
                                  actor=parent, pa=pa)
    url = reverse("admin:rota_shift_change", args=[shift.pk])
    response = admin_client.post(url, change_form(shift, tasks=[suction.pk]))
    assert response.status_code == 200 and "no signed-off competency" in response.content.decode()
    response = admin_client.post(url, change_form(shift, expected_version=1, notes="old"))
    assert "Changed by someone else" in response.content.decode()
    assert Shift.objects.get().notes == ""


def test_admin_cancel_action_uses_the_service(admin_client, family, parent, pa, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day",
                                  actor=parent, pa=pa)
    admin_client.post(reverse("admin:rota_shift_changelist"),
                      {"action": "cancel_selected", "_selected_action": [shift.pk]})
    shift.refresh_from_db()
    assert shift.status == "cancelled" and shift.cancel_reason == "Cancelled by an administrator"

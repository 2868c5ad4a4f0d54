"""A choice naming an id no database can hold (40 nines) is refused like any id that matches
nothing — "Select a valid choice" on the form — not a crash or a bare 404."""
import pytest
from django.urls import reverse

from rota.models import Shift

from .factories import YEAR

HUGE = "9" * 40


@pytest.mark.parametrize("field", ["pa", "tasks"])
def test_a_choice_too_large_for_the_database_is_refused_on_the_form(client, family, parent, field):
    client.force_login(parent)
    response = client.post(reverse("rota:new", args=[family.pk]), {
        "day": f"{YEAR}-03-01", "start_time": "09:00", "end_time": "17:00", "kind": "day", field: HUGE,
    })
    assert response.status_code == 400
    assert "valid choice" in response.content.decode() or "not a valid value" in response.content.decode()
    assert not Shift.objects.exists()

"""Every change to an existing shift carries the version it was based on: a change that leaves it out
is refused exactly like a stale one (409, the current shift shown), so it can never silently
overwrite a newer change."""
import pytest
from django.urls import reverse

from rota import services
from rota.models import Offer, Shift

from .factories import YEAR, at


@pytest.fixture
def shift(family, parent, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 12), kind="day",
                                  actor=parent, notes="as planned")
    # Someone else's newer change: the edit below was based on a page that never saw it.
    return services.update_shift(shift=shift, actor=parent, expected_version=1, start=shift.start, end=shift.end,
                                 kind="day", tasks=[], notes="newer change")


def edit_form(**changes):
    return {"day": f"{YEAR}-03-01", "start_time": "09:00", "end_time": "14:00", "kind": "day", "notes": "mine",
            **changes}


@pytest.mark.parametrize("version", [None, "", "abc"])
def test_an_edit_without_its_version_is_refused_as_stale_and_changes_nothing(client, parent, shift, version):
    client.force_login(parent)
    data = edit_form() if version is None else edit_form(version=version)
    response = client.post(reverse("rota:edit", args=[shift.pk]), data)
    assert response.status_code == 409
    assert "Changed by someone else — here is the current shift." in response.content.decode()
    current = Shift.objects.get(pk=shift.pk)
    assert (current.notes, current.end, current.version) == ("newer change", at(f"{YEAR}-03-01", 12), 2)


def test_the_same_edit_with_the_current_version_is_saved(client, parent, shift):
    client.force_login(parent)
    response = client.post(reverse("rota:edit", args=[shift.pk]), edit_form(version=shift.version))
    assert response.status_code == 302
    assert Shift.objects.get(pk=shift.pk).notes == "mine"


@pytest.mark.parametrize("action, data", [
    ("assign", {"pa": "PA"}),
    ("offer", {}),
    ("cancel", {"reason": "Not needed"}),
])
def test_a_shift_action_without_its_version_is_refused_as_stale(client, parent, pa, shift, action, data):
    data = {k: (pa.pk if v == "PA" else v) for k, v in data.items()}
    client.force_login(parent)
    response = client.post(reverse(f"rota:{action}", args=[shift.pk]), data)
    assert response.status_code == 409
    assert "Changed by someone else" in response.content.decode()
    current = Shift.objects.get(pk=shift.pk)
    assert (current.status, current.pa, current.version) == ("draft", None, 2)
    assert not Offer.objects.exists()
    # The same action with the version it was based on goes through: the refusal was about the version.
    response = client.post(reverse(f"rota:{action}", args=[shift.pk]), {**data, "version": current.version})
    assert response.status_code == 302 and Shift.objects.get(pk=shift.pk).version == 3


def test_marking_needs_cover_without_a_version_is_refused_as_stale(client, parent, pa, family, monday):
    booked = services.create_shift(recipient=family, start=at(monday, 15), end=at(monday, 18), kind="day",
                                   actor=parent, pa=pa)
    client.force_login(parent)
    response = client.post(reverse("rota:needs_cover", args=[booked.pk]), {"reason": "Ill"})
    assert response.status_code == 409
    assert not Shift.objects.get(pk=booked.pk).needs_cover


def test_the_service_refuses_an_edit_without_a_version(parent, shift):
    with pytest.raises(services.StaleShift):
        services.update_shift(shift=shift, actor=parent, expected_version=None, start=shift.start, end=shift.end,
                              kind="day", tasks=[], notes="blind overwrite")
    assert Shift.objects.get(pk=shift.pk).notes == "newer change"

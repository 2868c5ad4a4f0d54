"""Offering an open shift by text: who is texted, the first YES wins, later YESes and NOs."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from care.models import Role
from notifications.backends import locmem
from notifications.services import receive_text
from rota import services
from rota.models import Offer, OfferResponse, Shift
from tests.factories import ProfileFactory, member

from .conftest import texts_to
from .factories import at, signed_off


@pytest.fixture
def open_shift(family, parent, monday):
    return services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day", actor=parent)


def offer(shift, actor, capture):
    with capture(execute=True):
        return services.offer_shift(shift=shift, actor=actor)


def reply(user, text):
    """A text from the user's phone, through notifications' inbound routing (what Twilio's webhook calls)."""
    return receive_text(number=user.profile.mobile, body=text)


def test_offer_texts_every_eligible_pa_a_code_and_a_link(open_shift, parent, pa, pa2, other_pa,
                                                         django_capture_on_commit_callbacks):
    made = offer(open_shift, parent, django_capture_on_commit_callbacks)
    assert len(made.code) == 6 and made.code.isdigit()
    for user in (pa, pa2):
        [text] = texts_to(user)
        assert f"YES {made.code}" in text.body and f"/rota/shifts/{open_shift.pk}/" in text.body
        assert "Alfie" not in text.body  # minimal data: no names
    assert texts_to(other_pa) == []  # another family's PA
    open_shift.refresh_from_db()
    assert open_shift.status == Shift.Status.OFFERED


def test_offer_skips_pas_who_are_busy_not_competent_or_opted_out(family, parent, pa, pa2, suction, monday,
                                                                 django_capture_on_commit_callbacks):
    quiet = member(family, Role.PA, user=ProfileFactory(sms_consent=False).user)
    busy = member(family, Role.PA, username="busy-pa")
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, tasks=[suction])
    for user in (pa, quiet, busy):
        signed_off(user, family, suction, at(monday, 0) - datetime.timedelta(days=1), at(monday, 23))
    services.create_shift(recipient=family, start=at(monday, 14), end=at(monday, 20), kind="day", actor=parent,
                          pa=busy)
    made = offer(shift, parent, django_capture_on_commit_callbacks)
    assert [t.to for t in locmem.outbox if t.purpose == "rota-offer"] == [pa.profile.mobile]
    # The PA who has not agreed to texts is still eligible and can answer on the page.
    assert set(made.recipients.values_list("pa__username", "texted")) == {(pa.username, True),
                                                                           (quiet.username, False)}
    assert pa2.username not in {r.pa.username for r in made.recipients.all()}  # not competent


def test_offering_with_nobody_eligible_is_refused_and_changes_nothing(family, parent, suction, pa, monday):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, tasks=[suction])
    with pytest.raises(ValidationError, match="nobody was texted"):
        services.offer_shift(shift=shift, actor=parent)
    shift.refresh_from_db()
    assert shift.status == Shift.Status.DRAFT and not Offer.objects.exists()


def test_first_yes_wins_and_the_second_hears_it_is_taken(open_shift, parent, pa, pa2,
                                                         django_capture_on_commit_callbacks):
    made = offer(open_shift, parent, django_capture_on_commit_callbacks)
    assert "You have the shift" in reply(pa2, f"YES {made.code}")
    assert "already been taken" in reply(pa, f"yes {made.code}")
    open_shift.refresh_from_db()
    assert open_shift.pa == pa2 and open_shift.status == Shift.Status.CONFIRMED
    outcomes = list(OfferResponse.objects.order_by("pk").values_list("pa__username", "outcome", "channel"))
    assert outcomes == [(pa2.username, "accepted", "sms"), (pa.username, "too_late", "sms")]
    made.refresh_from_db()
    assert made.closed_at is not None and made.taken_by == pa2


def test_no_is_recorded_and_leaves_the_shift_open(open_shift, parent, pa, pa2, django_capture_on_commit_callbacks):
    made = offer(open_shift, parent, django_capture_on_commit_callbacks)
    version = Shift.objects.get(pk=open_shift.pk).version
    assert "noted you can't" in reply(pa, f"NO {made.code}")
    shift = Shift.objects.get(pk=open_shift.pk)
    assert shift.status == Shift.Status.OFFERED and shift.pa is None
    assert shift.version == version  # a NO does not make anyone's open edit stale
    assert OfferResponse.objects.get().outcome == OfferResponse.Outcome.DECLINED
    assert Shift.objects.for_cards().get(pk=shift.pk).declined_count == 1


def test_yes_is_refused_if_the_pa_lost_the_competency_since_the_offer(family, parent, pa, suction, monday,
                                                                     django_capture_on_commit_callbacks):
    competency = signed_off(pa, family, suction, at(monday, 0) - datetime.timedelta(days=1), at(monday, 23))
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, tasks=[suction])
    made = offer(shift, parent, django_capture_on_commit_callbacks)
    competency.status = "suspended"
    competency.save()
    answer = reply(pa, f"YES {made.code}")
    assert "can't be booked" in answer and "suction" not in answer.lower()  # no task names in a text
    response = OfferResponse.objects.get()
    assert response.outcome == "refused" and "Tracheostomy suction" in response.detail
    shift.refresh_from_db()
    assert shift.status == Shift.Status.OFFERED and shift.pa is None


def test_replies_without_a_code_or_with_a_wrong_one_are_explained(open_shift, parent, pa, other_pa,
                                                                 django_capture_on_commit_callbacks):
    made = offer(open_shift, parent, django_capture_on_commit_callbacks)
    assert "followed by the shift code" in reply(pa, "YES")
    assert "no shift with code 999999" in reply(pa, "YES 999999")
    # A PA the shift was not offered to cannot take it with the code.
    assert "was offered to you" in reply(other_pa, f"YES {made.code}")
    assert not OfferResponse.objects.exists()


def test_pa_can_accept_on_the_page(client, open_shift, parent, pa, django_capture_on_commit_callbacks):
    offer(open_shift, parent, django_capture_on_commit_callbacks)
    client.force_login(pa)
    response = client.post(f"/rota/shifts/{open_shift.pk}/answer/", {"answer": "yes"})
    assert response.status_code == 302
    open_shift.refresh_from_db()
    assert open_shift.pa == pa
    assert OfferResponse.objects.get().channel == "page"


def test_changing_an_offered_shifts_times_withdraws_the_offer(open_shift, parent, pa, monday,
                                                             django_capture_on_commit_callbacks):
    made = offer(open_shift, parent, django_capture_on_commit_callbacks)
    shift = Shift.objects.get(pk=open_shift.pk)
    services.update_shift(shift=shift, actor=parent, expected_version=shift.version, start=at(monday, 10),
                          end=at(monday, 16), kind="day", tasks=[])
    assert "already been taken" in reply(pa, f"YES {made.code}")
    shift.refresh_from_db()
    assert shift.status == Shift.Status.DRAFT and shift.pa is None


def test_a_booked_shift_cannot_be_offered_unless_it_needs_cover(family, parent, pa, pa2, monday,
                                                                django_capture_on_commit_callbacks):
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, pa=pa)
    with pytest.raises(ValidationError, match="already has a PA"):
        services.offer_shift(shift=shift, actor=parent)
    services.mark_needs_cover(shift=shift, actor=parent, reason="Jordan is ill")
    made = offer(Shift.objects.get(pk=shift.pk), parent, django_capture_on_commit_callbacks)
    assert [r.pa for r in made.recipients.all()] == [pa2]
    assert any("no longer booked" in t.body for t in texts_to(pa))


def test_booking_cancelling_and_moving_text_the_pa(family, parent, pa, monday, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                      actor=parent, pa=pa)
    with django_capture_on_commit_callbacks(execute=True):
        shift = services.update_shift(shift=shift, actor=parent, expected_version=shift.version,
                                      start=at(monday, 10), end=at(monday, 15), kind="day", tasks=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_shift(shift=shift, actor=parent, reason="Away for the day")
    bodies = [t.body for t in texts_to(pa)]
    assert len(bodies) == 3
    assert "booked for a shift Mon 01 Mar 09:00-15:00" in bodies[0]
    assert "Mon 01 Mar 09:00-15:00 is now Mon 01 Mar 10:00-15:00" in bodies[1]
    assert "cancelled" in bodies[2] and "Away" not in bodies[2]


def test_the_live_card_of_an_offer_says_how_many_were_asked(open_shift, parent, pa, pa2):
    from rota.models import RotaChange

    services.offer_shift(shift=open_shift, actor=parent)
    assert "Offered to 2" in RotaChange.objects.order_by("-seq").first().payload["html"]

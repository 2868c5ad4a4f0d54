"""Offer follow-up: the budget holder hears once when an offer is taken, and once when nobody has
taken it by the family's follow-up time (default 12 hours before the start); PAs who were offered a
shift hear when it is cancelled, and a later YES is told it was cancelled, not "taken"."""
import datetime

import pytest

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from notifications.models import Message
from rota import jobs, services
from rota.models import Offer, OfferResponse, RotaSettings, Shift

from tests.factories import ProfileFactory

from .factories import ShiftFactory


@pytest.fixture(autouse=True)
def _budget_holder_takes_texts(parent):
    ProfileFactory(user=parent)


def offered(family, parent, hours_ahead=48, length=6):
    start = timezone.now() + datetime.timedelta(hours=hours_ahead)
    shift = ShiftFactory(recipient=family, start=start, end=start + datetime.timedelta(hours=length))
    return services.offer_shift(shift=shift, actor=parent)


def texts(user, purpose):
    return list(Message.objects.filter(to=user.profile.mobile, purpose=purpose))


def test_the_budget_holder_hears_once_when_an_offer_is_taken(family, parent, pa, pa2):
    offer = offered(family, parent)
    services.answer_offer(offer=offer, pa=pa, accept=True)
    services.answer_offer(offer=offer, pa=pa2, accept=True)  # too late: no second "taken"
    taken = texts(parent, "rota-offer-taken")
    assert len(taken) == 1 and "has been taken" in taken[0].body
    assert pa.get_full_name() not in taken[0].body and "/rota/shifts/" in taken[0].body


def test_nobody_taking_it_by_the_follow_up_time_is_told_once(family, parent, pa, pa2):
    offer = offered(family, parent, hours_ahead=48)
    services.answer_offer(offer=offer, pa=pa2, accept=False)
    assert jobs.follow_up_offers() == 0  # 48 hours ahead: not yet
    with freeze_time(timezone.now() + datetime.timedelta(hours=37)):  # 11 hours before the start
        assert jobs.follow_up_offers() == 1
        assert jobs.follow_up_offers() == 0  # run again (or by a second worker): nothing more
    untaken = texts(parent, "rota-offer-untaken")
    assert len(untaken) == 1
    assert "nobody has taken the shift" in untaken[0].body and "(1 said no)" in untaken[0].body
    assert f"/rota/shifts/{offer.shift_id}/" in untaken[0].body


def test_the_follow_up_time_is_the_familys_choice(client, family, parent, pa):
    client.force_login(parent)
    assert client.post(reverse("rota:settings", args=[family.pk]), {"offer_follow_up_hours": "200"}).status_code == 400
    client.post(reverse("rota:settings", args=[family.pk]), {"offer_follow_up_hours": "30"})
    assert RotaSettings.for_recipient(family).offer_follow_up_hours == 30
    offered(family, parent, hours_ahead=48)
    with freeze_time(timezone.now() + datetime.timedelta(hours=19)):  # 29 hours before
        assert jobs.follow_up_offers() == 1


def test_a_taken_or_cancelled_offer_is_not_followed_up(family, parent, pa):
    taken = offered(family, parent)
    services.answer_offer(offer=taken, pa=pa, accept=True)
    cancelled = offered(family, parent, hours_ahead=100)
    services.cancel_shift(shift=cancelled.shift, actor=parent, reason="Not needed")
    for hours in (47, 99):
        with freeze_time(timezone.now() + datetime.timedelta(hours=hours)):
            assert jobs.follow_up_offers() == 0
    assert not texts(parent, "rota-offer-untaken")


def test_an_offer_made_late_waits_half_its_time_before_following_up(family, parent, pa):
    offered(family, parent, hours_ahead=4)
    assert jobs.follow_up_offers() == 0
    with freeze_time(timezone.now() + datetime.timedelta(hours=2, minutes=1)):
        assert jobs.follow_up_offers() == 1


def test_offered_pas_hear_a_cancellation_and_a_late_yes_is_told_it_was_cancelled(family, parent, pa, pa2):
    offer = offered(family, parent)
    services.answer_offer(offer=offer, pa=pa2, accept=False)
    services.cancel_shift(shift=offer.shift, actor=parent, reason="Plans changed")
    told = texts(pa, "rota-offer-cancelled")
    assert len(told) == 1 and "is cancelled; no need to reply" in told[0].body
    assert not texts(pa2, "rota-offer-cancelled")  # they already said no
    answer = services.answer_offer(offer=Offer.objects.get(pk=offer.pk), pa=pa, accept=True)
    assert answer.outcome == OfferResponse.Outcome.TOO_LATE and "was cancelled" in answer.reply
    assert Shift.objects.get(pk=offer.shift_id).status == Shift.Status.CANCELLED


def test_the_settings_page_is_404_outside_the_circle_and_403_for_a_pa(client, family, pa, other_parent):
    url = reverse("rota:settings", args=[family.pk])
    client.force_login(other_parent)
    assert client.get(url).status_code == 404
    client.force_login(pa)
    assert client.post(url, {"offer_follow_up_hours": "5"}).status_code == 403
    assert not RotaSettings.objects.exists()

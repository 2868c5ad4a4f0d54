"""Widening an offer: after the follow-up text ("nobody has taken it"), one tap on the shift page
offers it, with the same code, to every PA of the circle who could take it now and was not asked;
the page says who was added and who was left out and why. Bad input changes nothing."""
import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from care.models import AuditEvent, Role
from notifications.models import Message
from rota import jobs, services
from rota.models import Offer, OfferRecipient, Shift
from tests.factories import ProfileFactory, member

from .factories import ShiftFactory


@pytest.fixture(autouse=True)
def _budget_holder_takes_texts(parent):
    ProfileFactory(user=parent)


def offers_to(user):
    return list(Message.objects.filter(to=user.profile.mobile, purpose="rota-offer"))


def page_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def offered(family, parent, pa, pa2, other_family):
    """A shift offered two days ahead while pa2 works for another family then: only `pa` is asked."""
    start = timezone.now() + datetime.timedelta(hours=48)
    ShiftFactory(recipient=other_family, pa=pa2, start=start, end=start + datetime.timedelta(hours=6))
    shift = ShiftFactory(recipient=family, start=start, end=start + datetime.timedelta(hours=6))
    return services.offer_shift(shift=shift, actor=parent)


def test_widening_from_the_follow_up_adds_the_pas_not_asked_with_the_same_code(client, family, parent, pa, pa2,
                                                                               offered):
    newcomer = member(family, Role.PA, username="pa-three", first_name="Nia", last_name="Newcomer")
    with freeze_time(timezone.now() + datetime.timedelta(hours=37)):
        assert jobs.follow_up_offers() == 1
        follow_up = Message.objects.get(to=parent.profile.mobile, purpose="rota-offer-untaken")
        assert "Offer it again or to more PAs" in follow_up.body
        shift_url = reverse("rota:shift", args=[offered.shift_id])
        assert follow_up.body.endswith(shift_url)
        client.force_login(parent)
        page = client.get(shift_url).content.decode()
        assert reverse("rota:widen", args=[offered.shift_id]) in page and "Widen" in page
        shift = Shift.objects.get(pk=offered.shift_id)
        response = client.post(reverse("rota:widen", args=[shift.pk]), {"version": shift.version})
    assert response.status_code == 302
    summary = " ".join(page_messages(response))
    assert "Added to the offer: Nia Newcomer; 1 texted" in summary and f"code {offered.code}" in summary
    assert "1 had already been offered it" in summary
    assert "already working then" in summary and "Bea Otherfamily" not in summary  # pa2, never the other family
    texts = offers_to(newcomer)
    assert len(texts) == 1 and f"YES {offered.code}" in texts[0].body
    assert len(offers_to(pa)) == 1 and not offers_to(pa2)  # nobody asked twice, the busy PA not at all
    assert Offer.objects.filter(shift=shift).count() == 1  # the same offer: a YES to its code still counts
    assert AuditEvent.objects.filter(action="rota.offer_widened", recipient=family).count() == 1
    assert services.answer_offer(offer=Offer.objects.get(pk=offered.pk), pa=newcomer, accept=True).outcome == "accepted"


def test_widening_with_nobody_new_says_why_and_changes_nothing(family, parent, pa, pa2, offered):
    before = OfferRecipient.objects.count(), Message.objects.count()
    shift = Shift.objects.get(pk=offered.shift_id)
    with pytest.raises(ValidationError) as refusal:
        services.widen_offer(shift=shift, actor=parent, expected_version=shift.version)
    assert "Nobody was added" in refusal.value.messages[0]
    assert any("already working then" in m for m in refusal.value.messages)
    assert (OfferRecipient.objects.count(), Message.objects.count()) == before
    assert Shift.objects.get(pk=shift.pk).version == shift.version
    assert not AuditEvent.objects.filter(action="rota.offer_widened").exists()


def test_only_an_open_offer_can_be_widened(family, parent, pa):
    shift = ShiftFactory(recipient=family)
    with pytest.raises(ValidationError, match="not on offer"):
        services.widen_offer(shift=shift, actor=parent)


def test_the_pa_who_could_not_work_it_is_never_asked_again(family, parent, pa, pa2):
    start = timezone.now() + datetime.timedelta(hours=48)
    shift = ShiftFactory(recipient=family, pa=pa, start=start, end=start + datetime.timedelta(hours=6))
    services.mark_needs_cover(shift=shift, actor=parent, reason="Unwell")
    offer = services.offer_shift(shift=shift, actor=parent)
    assert [p.pk for p in offer.eligible] == [pa2.pk]
    newcomer = member(family, Role.PA, username="pa-three")
    widened = services.widen_offer(shift=shift, actor=parent)
    assert [p.pk for p in widened.eligible] == [newcomer.pk]
    again = services.offer_shift(shift=shift, actor=parent)  # offering again leaves them out too
    assert pa.pk not in {p.pk for p in again.eligible}
    assert not offers_to(pa)


def test_widening_is_404_outside_the_circle_403_for_a_pa_and_needs_post(client, family, parent, pa, pa2,
                                                                        other_parent, offered):
    member(family, Role.PA, username="pa-three")
    shift = Shift.objects.get(pk=offered.shift_id)
    url = reverse("rota:widen", args=[shift.pk])
    client.force_login(other_parent)
    assert client.post(url, {"version": shift.version}).status_code == 404
    client.force_login(pa)
    assert client.post(url, {"version": shift.version}).status_code == 403
    assert OfferRecipient.objects.filter(offer=offered).count() == 1
    client.force_login(parent)
    assert client.get(url).status_code == 405
    assert client.post(url, {"version": shift.version - 1}).status_code == 409
    assert client.post(url, {"version": shift.version}).status_code == 302  # the refusals were about who asked
    assert OfferRecipient.objects.filter(offer=offered).count() == 2

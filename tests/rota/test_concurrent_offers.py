"""Two PAs answer YES to the same offer at the same moment, on PostgreSQL: exactly one gets the shift."""
import threading

import pytest
from django.db import connection

from notifications.services import receive_text
from rota import services
from rota.models import OfferResponse, Shift

from .factories import YEAR, at

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_yes_replies_book_exactly_one_pa(family, parent, pa, pa2):
    shift = services.create_shift(recipient=family, start=at(f"{YEAR}-03-01", 9), end=at(f"{YEAR}-03-01", 15), kind="day",
                                  actor=parent)
    offer = services.offer_shift(shift=shift, actor=parent)
    start = threading.Barrier(2)
    replies = {}

    def text_yes(user):
        try:
            start.wait()
            replies[user.username] = receive_text(number=user.profile.mobile, body=f"YES {offer.code}")
        finally:
            connection.close()  # each thread has its own connection; leave none open for teardown

    threads = [threading.Thread(target=text_yes, args=(user,)) for user in (pa, pa2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    shift.refresh_from_db()
    assert shift.status == Shift.Status.CONFIRMED and shift.pa in (pa, pa2)
    winner, loser = (pa, pa2) if shift.pa == pa else (pa2, pa)
    assert "You have the shift" in replies[winner.username]
    assert "already been taken" in replies[loser.username]
    outcomes = sorted(OfferResponse.objects.values_list("outcome", flat=True))
    assert outcomes == ["accepted", "too_late"]


def test_many_simultaneous_yes_replies_still_book_one(family, parent):
    from care.models import Role
    from tests.factories import member

    pas = [member(family, Role.PA, username=f"racer-{n}") for n in range(6)]
    shift = services.create_shift(recipient=family, start=at(f"{YEAR}-03-02", 9), end=at(f"{YEAR}-03-02", 15), kind="day",
                                  actor=parent)
    offer = services.offer_shift(shift=shift, actor=parent)
    start = threading.Barrier(len(pas))

    def answer(user):
        try:
            start.wait()
            services.answer_offer(offer=offer, pa=user, accept=True)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(user,)) for user in pas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert OfferResponse.objects.filter(outcome="accepted").count() == 1
    assert OfferResponse.objects.filter(outcome="too_late").count() == len(pas) - 1
    assert Shift.objects.get(pk=shift.pk).pa_id == OfferResponse.objects.get(outcome="accepted").pa_id

"""A reply code answers one thing: a new offer's code is never the code of an open swap, and a new
swap's code never that of an open offer, so "YES 482113" from a PA cannot mean both. The random
source is replaced by a fixed sequence so the clash happens every time."""
import datetime
from unittest import mock

import pytest
from django.utils import timezone

from notifications.services import receive_text
from rota import services
from rota.models import Offer, Swap

from tests.factories import ProfileFactory

from .factories import ShiftFactory, at


@pytest.fixture(autouse=True)
def _budget_holder_takes_texts(parent):
    ProfileFactory(user=parent)


def codes(*drawn):
    return mock.patch("rota.services.new_offer_code", side_effect=list(drawn))


def test_a_new_offer_code_is_never_an_open_swap_code(family, parent, pa, pa2, monday):
    booked = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                   actor=parent, pa=pa, tell_pa=False)
    with codes("482113"):
        swap = services.ask_swap(shift=booked, pa=pa, to_pa=pa2)
    open_shift = ShiftFactory(recipient=family, start=at(monday, 17), end=at(monday, 21))
    with codes("482113", "593224") as drawn:
        offer = services.offer_shift(shift=open_shift, actor=parent)
    assert offer.code == "593224" and drawn.call_count == 2
    # pa2 was asked both: the offer's code takes the offered shift and leaves the swap waiting.
    receive_text(number=pa2.profile.mobile, body="YES 593224")
    assert Offer.objects.get(pk=offer.pk).taken_by_id == pa2.pk
    assert Swap.objects.get(pk=swap.pk).status == Swap.Status.ASKED


def test_a_new_swap_code_is_never_an_open_offer_code(family, parent, pa, pa2, monday):
    open_shift = ShiftFactory(recipient=family, start=at(monday, 17), end=at(monday, 21))
    with codes("482113"):
        offer = services.offer_shift(shift=open_shift, actor=parent)
    booked = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                   actor=parent, pa=pa, tell_pa=False)
    with codes("482113", "593224"):
        swap = services.ask_swap(shift=booked, pa=pa, to_pa=pa2)
    assert (offer.code, swap.code) == ("482113", "593224")


def test_a_closed_swap_code_may_be_drawn_again(family, parent, pa, pa2, monday):
    booked = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                   actor=parent, pa=pa, tell_pa=False)
    with codes("482113"):
        swap = services.ask_swap(shift=booked, pa=pa, to_pa=pa2)
    services.withdraw_swap(swap=swap, pa=pa)
    start = timezone.now() + datetime.timedelta(days=3)
    with codes("482113"):
        offer = services.offer_shift(shift=ShiftFactory(recipient=family, start=start,
                                                        end=start + datetime.timedelta(hours=4)), actor=parent)
    assert offer.code == "482113"

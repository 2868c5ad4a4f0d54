"""Two web processes behind one address: a change or a text reply taken by one reaches pages open on
the other, through the Redis channel layer, and the worker sends the texts in between."""
import re

import httpx

import pytest

from notifications.models import InboundMessage, Message, Status
from rota.live import current_seq
from rota.models import Offer, OfferResponse, Shift

from .helpers import new_shift, next_week, twilio_inbound, wait_for

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_a_shift_added_through_process_a_appears_on_a_page_open_on_process_b(system_stack, circle, pages, browsers):
    monday, wednesday = next_week()
    on_a = browsers(system_stack, "web_a", "sys-parent")
    on_b = browsers(system_stack, "web_b", "sys-parent")
    page_b = pages.open(on_b, circle.recipient.pk, system_stack, "web_b", "page on B", week=monday.isoformat())
    pages.wait_connected()

    response = new_shift(on_a, circle.recipient.pk, wednesday, "09:00", "13:00")

    assert response.status_code == 302, response.text[:2000]
    shift = Shift.objects.get(recipient=circle.recipient)
    wait_for(lambda: page_b.shows(shift.pk), lambda: f"the new shift on the page open on B: {page_b}")
    card = page_b.shows(shift.pk)
    assert f'data-shift-id="{shift.pk}"' in card and "<strong>Open</strong>" in card
    assert page_b.applied == [current_seq(circle.recipient.pk)] == [1]


def test_a_text_reply_taken_by_process_b_books_the_shift_on_a_page_open_on_process_a(
    system_stack, circle, pages, browsers
):
    monday, wednesday = next_week()
    parent = browsers(system_stack, "web_a", "sys-parent")
    logs_before = system_stack.mark()
    assert new_shift(parent, circle.recipient.pk, wednesday, "14:00", "18:00").status_code == 302
    shift = Shift.objects.get(recipient=circle.recipient)
    page_a = pages.open(parent, circle.recipient.pk, system_stack, "web_a", "page on A", week=monday.isoformat())
    pages.wait_connected()

    # The budget holder offers it on process A; the worker texts every PA a code to reply with.
    offered = parent.post(f"/rota/shifts/{shift.pk}/offer/", {"version": shift.version})
    assert offered.status_code == 302, offered.text[:2000]
    offer = Offer.objects.get(shift=shift)
    wait_for(lambda: "Offered to" in (page_a.shows(shift.pk) or ""), lambda: f"the offer on A: {page_a}")
    texts = re.compile(r"SMS to (\+\d+) \(rota-offer\): paworkflow: shift available .* Reply YES (\d+) to take it")
    wait_for(lambda: len(texts.findall(system_stack.worker_output(since=logs_before))) == len(circle.pas),
             "the worker to text the offer to every PA", timeout=60)
    sent = dict(texts.findall(system_stack.worker_output(since=logs_before)))
    first, second = circle.pas[3], circle.pas[7]
    assert sent[first.profile.mobile] == sent[second.profile.mobile] == offer.code

    # The first PA answers by text. The load balancer hands Twilio's webhook to process B.
    reply = twilio_inbound(system_stack, "web_b", number=first.profile.mobile, body=f"YES {offer.code}")

    assert reply.status_code == 200 and "You have the shift" in reply.text, reply.text
    wait_for(lambda: first.get_full_name() in (page_a.shows(shift.pk) or ""), lambda: f"the booking on A: {page_a}")
    assert "status-confirmed" in page_a.shows(shift.pk)
    shift_page = parent.get(f"/rota/shifts/{shift.pk}/")
    assert first.get_full_name() in shift_page.text
    # A second YES, also through B, is told the shift has gone, and books nobody else.
    late = twilio_inbound(system_stack, "web_b", number=second.profile.mobile, body=f"YES {offer.code}")
    assert "already been taken" in late.text
    shift.refresh_from_db()
    assert shift.pa == first and shift.status == Shift.Status.CONFIRMED
    assert list(OfferResponse.objects.filter(offer=offer).values_list("pa__username", "outcome").order_by("pk")) == [
        (first.username, "accepted"), (second.username, "too_late"),
    ]
    assert InboundMessage.objects.count() == 2
    # Every offer text went once, through the worker; the page saw each numbered change in order.
    offers = Message.objects.filter(purpose="rota-offer")
    assert sorted(offers.values_list("status", flat=True)) == [Status.SENT] * len(circle.pas)
    assert sorted(offers.values_list("provider_id", flat=True)) == sorted(f"console-{m.pk}" for m in offers)
    assert page_a.applied == list(range(page_a.first_seq + 1, current_seq(circle.recipient.pk) + 1))


def test_each_web_process_serves_the_pages_scripts_and_styles_itself(system_stack, circle, browsers):
    # daphne serves no static files; WhiteNoise does, from what the release line collected.
    on_a = browsers(system_stack, "web_a", "sys-parent")
    page = on_a.get(f"/rota/{circle.recipient.pk}/")
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    assert any(a.endswith("rota.js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    for web in system_stack.WEB:
        for asset in assets:
            response = httpx.get(system_stack.url(web) + asset, timeout=10)
            assert response.status_code == 200, (web, asset, response.status_code)
            assert response.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript",
                                                                      "text/css")

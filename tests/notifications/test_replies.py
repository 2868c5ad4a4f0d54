"""Texts people send us: STOP and START, HELP, replies routed to the apps that asked for them,
and friendly answers for everything else."""
import itertools
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError

import notifications
from notifications import replies, sms
from notifications.backends import locmem
from notifications.models import InboundMessage, OptOut

INBOUND = "/notifications/twilio/inbound/"
BODY = "paworkflow: shift 4821 on Tue. Reply YES 4821 or NO 4821."
_sids = itertools.count(1)


@pytest.fixture
def text(twilio_post):
    """Text us from `number`; returns the reply Twilio would send back ("" for none)."""

    def send(number, body, sid=None):
        response = twilio_post(INBOUND, {"From": number, "Body": body, "MessageSid": sid or f"SM{next(_sids):032x}"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
        root = ElementTree.fromstring(response.content)
        assert root.tag == "Response"
        return " ".join(m.text or "" for m in root.iter("Message"))

    return send


@pytest.fixture
def offers():
    """An app's reply handler, registered like rota's YES/NO <shift number> (other words, as rota's are live)."""
    calls = []

    def answer(*, user, number, keyword, args):
        calls.append((user, number, keyword, args))
        if not args:
            raise ValidationError("Which shift? Text TAKE and the shift number, e.g. TAKE 4821.")
        return f"Thanks, {user.first_name}: shift {args[0]} {'is yours' if keyword == 'TAKE' else 'declined'}."

    replies.register(("TAKE", "DROP"), answer)
    yield calls
    replies.unregister(("TAKE", "DROP"))


def send_offer(pa, key, capture):
    with capture(execute=True):
        return notifications.send_sms(user=pa, body=BODY, purpose="shift_offer", idempotency_key=key)


@pytest.mark.parametrize("word", ["STOP", "stop", "StopAll", "UNSUBSCRIBE", "cancel", "END", "quit", " Stop. "])
def test_every_stop_word_opts_the_number_out(pa, text, word):
    assert text(pa.profile.mobile, word) == ""  # Twilio sends its own confirmation
    assert OptOut.objects.filter(number=pa.profile.mobile, reason=OptOut.Reason.REPLIED_STOP).exists()


def test_opt_out_and_opt_in_round_trip(pa, text, django_capture_on_commit_callbacks):
    text(pa.profile.mobile, "STOP")
    assert send_offer(pa, "offer:1", django_capture_on_commit_callbacks) is None
    assert locmem.outbox == []

    reply = text(pa.profile.mobile, "START")
    assert "again" in reply and "STOP" in reply
    assert not OptOut.objects.exists()
    send_offer(pa, "offer:2", django_capture_on_commit_callbacks)
    assert [t.body for t in locmem.outbox] == [BODY]

    text(pa.profile.mobile, "stop")
    text(pa.profile.mobile, "unstop")
    assert not OptOut.objects.exists()


def test_a_bare_yes_from_an_opted_out_number_opts_back_in_as_twilio_does(pa, text, offers):
    text(pa.profile.mobile, "STOP")
    assert "again" in text(pa.profile.mobile, "YES")
    assert not OptOut.objects.exists() and offers == []


def test_stop_inside_a_sentence_does_not_opt_out(pa, text):
    reply = text(pa.profile.mobile, "stop sending me shifts on Sundays")
    assert not OptOut.objects.exists()
    assert "STOP" in reply  # it says how to stop


def test_help_says_who_we_are_and_how_to_stop(pa, text):
    reply = text(pa.profile.mobile, "HELP")
    assert "paworkflow" in reply and "STOP" in reply and "https://pa.example.org" in reply
    assert text("+447700900998", "help") == reply  # the same for anyone


def test_a_reply_reaches_the_registered_handler_with_its_arguments(pa, text, offers):
    assert text(pa.profile.mobile, "take 4821") == f"Thanks, {pa.first_name}: shift 4821 is yours."
    assert text(pa.profile.mobile, "Drop, 4822.") == f"Thanks, {pa.first_name}: shift 4822 declined."
    assert offers == [(pa, pa.profile.mobile, "TAKE", ("4821",)), (pa, pa.profile.mobile, "DROP", ("4822",))]
    inbound = InboundMessage.objects.get(body="take 4821")
    assert (inbound.user, inbound.keyword, inbound.reply) == (pa, "TAKE", f"Thanks, {pa.first_name}: shift 4821 is yours.")


def test_a_handler_refusal_is_sent_back_as_the_reply(pa, text, offers):
    assert text(pa.profile.mobile, "TAKE") == "Which shift? Text TAKE and the shift number, e.g. TAKE 4821."


def test_a_redelivered_webhook_is_answered_again_but_acted_on_once(pa, text, offers):
    first = text(pa.profile.mobile, "TAKE 4821", sid="SM" + "9" * 32)
    again = text(pa.profile.mobile, "TAKE 4821", sid="SM" + "9" * 32)
    assert first == again and len(offers) == 1
    assert InboundMessage.objects.count() == 1


def test_an_unknown_reply_gets_a_short_friendly_answer(pa, text, offers):
    reply = text(pa.profile.mobile, "Running 10 minutes late sorry!!")
    assert reply.startswith("Sorry, we did not understand")
    assert "TAKE" in reply and "DROP" in reply and "HELP" in reply and "STOP" in reply
    assert sms.shape(reply).segments <= 2 and offers == []


def test_an_empty_text_gets_the_same_friendly_answer(pa, text):
    assert text(pa.profile.mobile, "   ").startswith("Sorry, we did not understand")


def test_a_reply_from_a_number_that_belongs_to_nobody_is_answered_generically_and_logged(db, text, offers, caplog):
    with caplog.at_level("INFO", logger="notifications.services"):
        reply = text("+447700900997", "TAKE 4821")
    assert "not linked to anyone" in reply
    assert offers == []  # never matched to a person
    inbound = InboundMessage.objects.get()
    assert inbound.user is None and inbound.from_number == "+447700900997"
    assert "belongs to nobody" in caplog.text and "+447700900997" not in caplog.text  # masked in logs


def test_a_failing_handler_is_undone_and_answered_with_an_apology(pa, text):
    from care.models import Profile

    def broken(*, user, number, keyword, args):
        Profile.objects.filter(user=user).update(sms_consent=False)
        raise RuntimeError("bug")

    replies.register(("SWAP",), broken)
    try:
        assert text(pa.profile.mobile, "SWAP 4821").startswith("Sorry, something went wrong")
    finally:
        replies.unregister("SWAP")
    assert Profile.objects.get(user=pa).sms_consent is True


@pytest.mark.parametrize("keywords", [("STOP",), ("help",), ("TWO WORDS",), ("",)])
def test_reserved_or_malformed_keywords_cannot_be_registered(keywords):
    with pytest.raises(ValueError):
        replies.register(keywords, lambda **kwargs: "")


def test_a_keyword_cannot_be_claimed_by_two_handlers(offers):
    with pytest.raises(ValueError):
        replies.register(("TAKE",), lambda **kwargs: "")

"""Swaps and drops: a booked PA hands their shift to a named PA of the circle (who accepts on the
page or by text, then the budget holder approves, or the family's setting does) or drops it into
the open pool with a reason. The rota's rules are checked again at approval."""
import datetime
import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent
from competencies.models import Competency
from employment.models import Absence
from notifications.models import Message
from notifications.services import receive_text
from rota import services
from rota.models import RotaChange, RotaSettings, Shift, Swap

from tests.factories import ProfileFactory

from .factories import at, signed_off


@pytest.fixture(autouse=True)
def _budget_holder_takes_texts(parent):
    ProfileFactory(user=parent)


@pytest.fixture
def booked(family, parent, pa, pa2, monday):
    """A shift booked for `pa`, without a text (so the outbox holds only what the swap sends)."""
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, pa=pa, tell_pa=False)
    return shift


def reply(user, text):
    """A text from the user's phone, through notifications' inbound routing (what Twilio's webhook calls)."""
    return receive_text(number=user.profile.mobile, body=text)


def ask(shift, pa, to_pa, capture):
    with capture(execute=True):
        return services.ask_swap(shift=shift, pa=pa, to_pa=to_pa)


def bodies(user):
    """Every text queued for the user, in order (the outbox rows: sent after commit by a worker)."""
    return list(Message.objects.filter(user=user).order_by("pk").values_list("body", flat=True))


def test_a_swap_accepted_by_text_and_approved_moves_the_shift_and_tells_each_once(
        booked, family, parent, pa, pa2, django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    [asked] = bodies(pa2)
    assert f"YES {swap.code}" in asked and f"/rota/shifts/{booked.pk}/" in asked

    answer = reply(pa2, f"YES {swap.code}")
    assert "approval" in answer
    swap.refresh_from_db()
    assert swap.status == Swap.Status.ACCEPTED
    assert any("needs your approval" in b for b in bodies(parent))

    version = Shift.objects.get(pk=booked.pk).version
    decided = services.decide_swap(swap=swap, actor=parent, approve=True, expected_version=version)
    assert decided.status == Swap.Status.APPROVED
    shift = Shift.objects.get(pk=booked.pk)
    assert shift.pa == pa2 and shift.status == Shift.Status.CONFIRMED

    # One outcome text each to the two PAs; the approving budget holder saw it on the page.
    assert [b for b in bodies(pa) if "approved" in b] == [bodies(pa)[-1]]
    assert "no longer booked" in bodies(pa)[-1] and len(bodies(pa)) == 1
    assert "you are booked" in bodies(pa2)[-1] and len(bodies(pa2)) == 2  # the ask, then the outcome
    assert not any("approved" in b for b in bodies(parent))
    # Deciding again sends nothing more and changes nothing.
    with pytest.raises(ValidationError, match="already been dealt with: approved"):
        services.decide_swap(swap=swap, actor=parent, approve=False)
    assert len(bodies(pa)) == 1 and len(bodies(pa2)) == 2
    actions = list(AuditEvent.objects.filter(recipient=family, action__startswith="rota.swap")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["rota.swap_asked", "rota.swap_accepted", "rota.swap_approved"]


def test_a_swap_refused_by_the_gate_at_approval_leaves_the_shift_with_its_pa(
        family, parent, pa, pa2, suction, monday, django_capture_on_commit_callbacks):
    for user in (pa, pa2):
        signed_off(user, family, suction, at(monday, 0) - datetime.timedelta(days=1), at(monday, 23))
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, pa=pa, tasks=[suction], tell_pa=False)
    swap = ask(shift, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    # Between accepting and approval the named PA's competency is suspended (set straight in the
    # table: the point is what approval finds, not the suspension's own path).
    Competency.objects.filter(pa=pa2).update(status="suspended")

    decided = services.decide_swap(swap=swap, actor=parent, approve=True)

    assert decided.status == Swap.Status.REFUSED and "Tracheostomy suction" in decided.detail
    shift.refresh_from_db()
    assert shift.pa == pa and shift.status == Shift.Status.CONFIRMED
    refused_to_pa = [b for b in bodies(pa) if "could not be approved" in b]
    refused_to_pa2 = [b for b in bodies(pa2) if "could not be approved" in b]
    assert len(refused_to_pa) == 1 and "still booked" in refused_to_pa[0]
    assert len(refused_to_pa2) == 1 and "not booked" in refused_to_pa2[0]
    for body in refused_to_pa + refused_to_pa2:
        assert "suction" not in body.lower() and "Alfie" not in body  # no tasks, no names in a text
    assert AuditEvent.objects.filter(action="rota.swap_refused", summary__contains="Tracheostomy").exists()


def test_overlap_and_leave_are_checked_again_at_approval(booked, family, parent, pa, pa2, monday,
                                                        django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    Absence.objects.create(recipient=family, pa=pa2, kind="holiday", first_day=monday, last_day=monday,
                           status="approved", decided_by=parent, decided_at=timezone.now())
    decided = services.decide_swap(swap=swap, actor=parent, approve=True)
    assert decided.status == Swap.Status.REFUSED and "approved" in decided.detail
    assert Shift.objects.get(pk=booked.pk).pa == pa

    Absence.objects.all().delete()
    other = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent)
    services.cancel_shift(shift=booked, actor=parent, reason="scene")  # free the first: a fresh booking to swap
    other = services.confirm_shift(shift=other, pa=pa, actor=parent)
    swap = ask(other, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    services.create_shift(recipient=family, start=at(monday, 14), end=at(monday, 18), kind="day", actor=parent,
                          pa=pa2)
    decided = services.decide_swap(swap=swap, actor=parent, approve=True)
    assert decided.status == Swap.Status.REFUSED and "already has a shift then" in decided.detail


def test_the_family_setting_approves_an_accepted_swap_at_once(booked, family, parent, pa, pa2,
                                                             django_capture_on_commit_callbacks):
    services.update_rota_settings(recipient=family, actor=parent, offer_follow_up_hours=12,
                                  approve_swaps_automatically=True)
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    answer = reply(pa2, f"yes {swap.code}")
    assert "you are booked" in answer
    assert Shift.objects.get(pk=booked.pk).pa == pa2
    swap.refresh_from_db()
    assert swap.status == Swap.Status.APPROVED and swap.decided_by is None
    # Each hears the outcome once: the taker by the reply, the asking PA and the budget holder by text.
    assert len(bodies(pa2)) == 1  # only the ask; the reply above was their outcome
    assert len([b for b in bodies(pa) if "approved" in b]) == 1
    assert len([b for b in bodies(parent) if "approved" in b]) == 1
    assert AuditEvent.objects.filter(action="rota.swap_approved", actor__isnull=True).exists()


def test_the_setting_is_off_by_default_and_kept_when_not_given(family, parent):
    assert RotaSettings.for_recipient(family).approve_swaps_automatically is False
    services.update_rota_settings(recipient=family, actor=parent, offer_follow_up_hours=12,
                                  approve_swaps_automatically=True)
    services.update_rota_settings(recipient=family, actor=parent, offer_follow_up_hours=6, label="Rose St")
    assert RotaSettings.for_recipient(family).approve_swaps_automatically is True


def test_two_approvals_at_once_have_one_winner_and_the_other_is_told(booked, family, parent, carer, pa, pa2,
                                                                    django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    version = Shift.objects.get(pk=booked.pk).version  # both pages were opened at this version
    services.decide_swap(swap=swap, actor=parent, approve=True, expected_version=version)
    with pytest.raises(services.StaleShift):
        services.decide_swap(swap=swap, actor=carer, approve=False, expected_version=version)
    with pytest.raises(ValidationError, match="already been dealt with"):
        services.decide_swap(swap=swap, actor=carer, approve=False)
    assert Shift.objects.get(pk=booked.pk).pa == pa2
    assert Swap.objects.get(pk=swap.pk).decided_by == parent


def test_refusing_a_swap_tells_both_pas_once_and_keeps_the_shift(booked, parent, pa, pa2,
                                                               django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    services.decide_swap(swap=swap, actor=parent, approve=False)
    assert Shift.objects.get(pk=booked.pk).pa == pa
    assert len([b for b in bodies(pa) if "not approved" in b]) == 1
    assert len([b for b in bodies(pa2) if "not approved" in b]) == 1


def test_declining_by_text_tells_the_asking_pa_and_keeps_the_shift(booked, pa, pa2,
                                                                  django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    assert "noted you can't" in reply(pa2, f"NO {swap.code}")
    assert Swap.objects.get(pk=swap.pk).status == Swap.Status.DECLINED
    assert Shift.objects.get(pk=booked.pk).pa == pa
    [told] = bodies(pa)
    assert "can't take the shift" in told
    assert "no longer open" in reply(pa2, f"YES {swap.code}")  # a late YES changes nothing


def test_only_the_named_pa_can_answer_and_only_the_booked_pa_can_ask(booked, family, pa, pa2, other_pa,
                                                                    django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="Only the PA booked"):
        services.ask_swap(shift=booked, pa=pa2, to_pa=pa2)
    with pytest.raises(ValidationError, match="not a PA in"):
        services.ask_swap(shift=booked, pa=pa, to_pa=other_pa)
    with pytest.raises(ValidationError, match="another PA"):
        services.ask_swap(shift=booked, pa=pa, to_pa=pa)
    assert not Swap.objects.exists()
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="not asked of you"):
        services.answer_swap(swap=swap, pa=pa, accept=True)
    assert "was offered to you" in reply(other_pa, f"YES {swap.code}")
    with pytest.raises(ValidationError, match="already asked"):
        services.ask_swap(shift=booked, pa=pa, to_pa=pa2)
    assert Swap.objects.get().status == Swap.Status.ASKED


def test_a_shift_changed_after_the_ask_lapses_the_swap(booked, parent, pa, pa2, monday,
                                                      django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.update_shift(shift=booked, actor=parent, expected_version=booked.version, start=at(monday, 10),
                          end=at(monday, 16), kind="day", tasks=[])
    assert "has changed since" in reply(pa2, f"YES {swap.code}")
    assert Swap.objects.get(pk=swap.pk).status == Swap.Status.LAPSED
    assert Shift.objects.get(pk=booked.pk).pa == pa
    assert AuditEvent.objects.filter(action="rota.swap_lapsed").count() == 1
    # The PA can ask again about the shift as it is now.
    assert services.ask_swap(shift=booked, pa=pa, to_pa=pa2).status == Swap.Status.ASKED


def test_the_home_page_shows_swaps_to_approve_and_to_answer(client, booked, parent, pa, pa2,
                                                           django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    client.force_login(pa2)
    assert "Asked to take over a shift" in client.get("/").content.decode()
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    client.force_login(parent)
    assert "Swap to approve" in client.get("/").content.decode()


def test_withdrawing_tells_the_named_pa_once(booked, pa, pa2, django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Only the PA who asked"):
        services.withdraw_swap(swap=swap, pa=pa2)
    services.withdraw_swap(swap=swap, pa=pa)
    assert "withdrawn; no need to reply" in bodies(pa2)[-1]
    assert "no longer open" in reply(pa2, f"YES {swap.code}")
    assert Shift.objects.get(pk=booked.pk).pa == pa


def test_swap_texts_carry_the_family_label_and_no_names(booked, family, parent, pa, pa2,
                                                       django_capture_on_commit_callbacks):
    services.update_rota_settings(recipient=family, actor=parent, offer_follow_up_hours=12, label="Rose St")
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    services.decide_swap(swap=swap, actor=parent, approve=True)
    texts = list(Message.objects.filter(purpose__startswith="rota-swap"))
    assert len(texts) >= 3
    for text in texts:
        assert text.body.startswith("paworkflow (Rose St):")
        assert "Alfie" not in text.body
        assert all(user.first_name not in text.body for user in (pa, pa2, parent) if user.first_name)


def test_each_swap_step_goes_out_to_open_week_pages(booked, parent, pa, pa2, django_capture_on_commit_callbacks):
    before = RotaChange.objects.count()
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    assert "Swap asked" in RotaChange.objects.latest("seq").payload["html"]
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    assert "Swap to approve" in RotaChange.objects.latest("seq").payload["html"]
    services.decide_swap(swap=swap, actor=parent, approve=True)
    latest = RotaChange.objects.latest("seq").payload["html"]
    assert "Swap" not in latest and f'data-pa="{pa2.pk}"' in latest
    assert RotaChange.objects.count() == before + 3


def test_dropping_flags_the_shift_with_the_reason_and_it_can_then_be_offered(
        booked, family, parent, pa, pa2, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        swap = services.drop_shift(shift=booked, pa=pa, reason="  Family wedding that day ")
    shift = Shift.objects.get(pk=booked.pk)
    assert swap.kind == Swap.Kind.DROP and swap.reason == "Family wedding that day"
    assert shift.needs_cover and "Family wedding that day" in shift.cover_reason
    [told] = bodies(parent)
    assert "needs cover" in told and "wedding" not in told  # what a PA typed never goes into a text
    assert AuditEvent.objects.filter(action="rota.swap_dropped").exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer = services.offer_shift(shift=shift, actor=parent)
    assert [r.pa for r in offer.recipients.all()] == [pa2]
    flagged = RotaChange.objects.filter(shift=shift).order_by("-seq")[1].payload  # before the offer
    assert "Family wedding that day" in flagged["html"] and "Needs cover" in flagged["notice"]


def test_a_drop_needs_a_reason_and_a_shift_of_ones_own(booked, pa, pa2):
    with pytest.raises(ValidationError, match="Say why"):
        services.drop_shift(shift=booked, pa=pa, reason="   ")
    with pytest.raises(ValidationError, match="Only the PA booked"):
        services.drop_shift(shift=booked, pa=pa2, reason="ill")
    with pytest.raises(ValidationError, match="200 characters"):
        services.drop_shift(shift=booked, pa=pa, reason="x" * 201)
    shift = Shift.objects.get(pk=booked.pk)
    assert not shift.needs_cover and shift.version == booked.version and not Swap.objects.exists()


def test_dropping_withdraws_an_open_swap(booked, pa, pa2, django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.drop_shift(shift=booked, pa=pa, reason="ill")
    assert Swap.objects.get(pk=swap.pk).status == Swap.Status.WITHDRAWN
    assert "withdrawn" in bodies(pa2)[-1]


# --- The pages ---------------------------------------------------------------------------------


def swap_url(name, pk):
    return reverse(f"rota:{name}", args=[pk])


def page_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_whole_swap_on_the_pages(client, booked, family, parent, pa, pa2):
    client.force_login(pa)
    page = client.get(swap_url("shift", booked.pk)).content.decode()
    assert "Ask them" in page and "Drop this shift" in page
    response = client.post(swap_url("swap_ask", booked.pk), {"to_pa": pa2.pk, "version": booked.version})
    assert response.status_code == 302
    swap = Swap.objects.get()

    client.force_login(pa2)
    assert f"Code {swap.code}" in client.get(reverse("rota:mine")).content.decode()
    assert "take it over" in client.get(swap_url("shift", booked.pk)).content.decode()
    response = client.post(swap_url("swap_answer", swap.pk), {"answer": "yes"})
    assert response.status_code == 302 and "approval" in page_messages(response)[0]

    client.force_login(parent)
    listing = client.get(swap_url("swaps", family.pk)).content.decode()
    assert "Waiting for approval" in listing and "Approve" in listing
    response = client.post(swap_url("swap_decide", swap.pk), {"decision": "approve", "version": booked.version})
    assert response.status_code == 302 and "Swap approved" in page_messages(response)[0]
    assert Shift.objects.get(pk=booked.pk).pa == pa2
    assert "Approved" in client.get(swap_url("swaps", family.pk)).content.decode()


def test_a_swap_refused_at_approval_says_why_on_the_page(client, family, parent, pa, pa2, suction, monday,
                                                       django_capture_on_commit_callbacks):
    for user in (pa, pa2):
        signed_off(user, family, suction, at(monday, 0) - datetime.timedelta(days=1), at(monday, 23))
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, pa=pa, tasks=[suction], tell_pa=False)
    swap = ask(shift, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    Competency.objects.filter(pa=pa2).update(status="revoked")
    client.force_login(parent)
    response = client.post(swap_url("swap_decide", swap.pk), {"decision": "approve", "version": shift.version})
    [said] = page_messages(response)
    assert "could not be approved" in said and "Tracheostomy suction" in said
    assert Shift.objects.get(pk=shift.pk).pa == pa


def test_dropping_on_the_page_shows_the_reason_to_the_budget_holder(client, booked, family, parent, pa):
    client.force_login(pa)
    response = client.post(swap_url("swap_drop", booked.pk), {"reason": "Car off the road", "version": booked.version})
    assert response.status_code == 302
    client.force_login(parent)
    page = client.get(swap_url("shift", booked.pk)).content.decode()
    assert "Needs cover" in page and "Car off the road" in page and "Offer by text" in page
    assert "Car off the road" in client.get(swap_url("swaps", family.pk)).content.decode()


@pytest.mark.parametrize("name", ["swap_ask", "swap_drop"])
def test_only_the_booked_pa_may_swap_or_drop_a_shift(client, booked, parent, pa, pa2, other_pa, name):
    data = {"to_pa": pa2.pk, "reason": "ill", "version": booked.version}
    client.force_login(other_pa)
    assert client.post(swap_url(name, booked.pk), data).status_code == 404  # another family's shift
    client.force_login(pa2)
    assert client.post(swap_url(name, booked.pk), data).status_code == 403  # not their shift
    client.force_login(parent)
    assert client.post(swap_url(name, booked.pk), data).status_code == 403  # not a PA
    assert not Swap.objects.exists()
    client.force_login(pa)  # the same request from the booked PA goes through
    assert client.post(swap_url(name, booked.pk), data).status_code == 302
    assert Swap.objects.count() == 1


def test_only_the_named_pa_answers_and_only_a_rota_manager_decides(client, booked, family, parent, carer, pa, pa2,
                                                                  other_pa, other_parent,
                                                                  django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    for user, status in [(other_pa, 404), (pa, 403)]:
        client.force_login(user)
        assert client.post(swap_url("swap_answer", swap.pk), {"answer": "yes"}).status_code == status
    client.force_login(pa2)
    assert client.post(swap_url("swap_withdraw", swap.pk)).status_code == 403
    assert client.post(swap_url("swap_answer", swap.pk), {"answer": "yes"}).status_code == 302
    decision = {"decision": "approve", "version": booked.version}
    for user, status in [(other_parent, 404), (pa2, 403), (pa, 403)]:
        client.force_login(user)
        assert client.post(swap_url("swap_decide", swap.pk), decision).status_code == status
        assert client.get(swap_url("swaps", family.pk)).status_code == status
    assert Shift.objects.get(pk=booked.pk).pa == pa
    client.force_login(carer)  # whoever may manage the rota decides, not only the budget holder
    assert client.post(swap_url("swap_decide", swap.pk), decision).status_code == 302
    assert Shift.objects.get(pk=booked.pk).pa == pa2


@pytest.mark.parametrize("name", ["swap_ask", "swap_drop", "swap_answer", "swap_withdraw", "swap_decide"])
def test_swap_actions_refuse_get(client, booked, pa, pa2, name, django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    client.force_login(pa)
    pk = booked.pk if name in ("swap_ask", "swap_drop") else swap.pk
    assert client.get(swap_url(name, pk)).status_code == 405


def test_bad_input_gives_a_clear_message_and_changes_nothing(client, booked, pa, pa2, other_pa):
    client.force_login(pa)
    cases = [
        ("swap_ask", {"to_pa": other_pa.pk, "version": booked.version}, "valid choice"),
        ("swap_ask", {"to_pa": "", "version": booked.version}, "required"),
        ("swap_ask", {"to_pa": pa.pk, "version": booked.version}, "valid choice"),
        ("swap_ask", {"to_pa": pa2.pk, "version": booked.version + 5}, "Changed by someone else"),
        ("swap_ask", {"to_pa": pa2.pk}, "Changed by someone else"),
        ("swap_drop", {"reason": "", "version": booked.version}, "required"),
        ("swap_drop", {"reason": "x" * 201, "version": booked.version}, "at most 200"),
    ]
    for name, data, expected in cases:
        response = client.post(swap_url(name, booked.pk), data)
        assert response.status_code == 302, name
        assert any(expected in m for m in page_messages(response)), (name, data, page_messages(response))
    shift = Shift.objects.get(pk=booked.pk)
    assert shift.version == booked.version and shift.pa == pa and not shift.needs_cover
    assert not Swap.objects.exists()


def test_a_stale_decision_shows_the_current_shift(client, booked, parent, pa, pa2,
                                                 django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    client.force_login(parent)
    response = client.post(swap_url("swap_decide", swap.pk), {"decision": "approve", "version": booked.version - 1})
    assert response.status_code == 409
    assert Swap.objects.get(pk=swap.pk).status == Swap.Status.ACCEPTED


def test_the_settings_page_turns_automatic_approval_on(client, family, parent):
    client.force_login(parent)
    assert "Approve swaps between our PAs automatically" in client.get(swap_url("settings", family.pk)).content.decode()
    client.post(swap_url("settings", family.pk), {"offer_follow_up_hours": 12, "label": "",
                                                  "approve_swaps_automatically": "on"})
    assert RotaSettings.for_recipient(family).approve_swaps_automatically is True


@pytest.mark.parametrize("count", [1, 12])
def test_swaps_page_queries_do_not_grow(client, family, parent, pa, pa2, monday, count,
                                        django_assert_max_num_queries):
    for n in range(count):
        day = monday + datetime.timedelta(days=n)
        shift = services.create_shift(recipient=family, start=at(day, 9), end=at(day, 15), kind="day",
                                      actor=parent, pa=pa, tell_pa=False)
        swap = services.ask_swap(shift=shift, pa=pa, to_pa=pa2)
        if n % 3 == 0:
            services.answer_swap(swap=swap, pa=pa2, accept=True)
        elif n % 3 == 1:
            services.answer_swap(swap=swap, pa=pa2, accept=False)
    client.force_login(parent)
    # session + user, recipient, the view and manage_rota permissions (one query: `can` remembers
    # them), waiting swaps with their shifts and PAs, recent swaps likewise.
    with django_assert_max_num_queries(8):
        body = client.get(swap_url("swaps", family.pk)).content.decode()
    assert body.count('class="card"') == count


def test_outsiders_get_404_on_every_swap_page(client, booked, family, pa, pa2, outsider,
                                             django_capture_on_commit_callbacks):
    swap = ask(booked, pa, pa2, django_capture_on_commit_callbacks)
    client.force_login(outsider)
    for name, pk, data in [("swap_ask", booked.pk, {"to_pa": pa2.pk, "version": booked.version}),
                           ("swap_drop", booked.pk, {"reason": "ill", "version": booked.version}),
                           ("swap_answer", swap.pk, {"answer": "yes"}), ("swap_withdraw", swap.pk, {}),
                           ("swap_decide", swap.pk, {"decision": "approve", "version": booked.version})]:
        assert client.post(swap_url(name, pk), data).status_code == 404, name
    assert client.get(swap_url("swaps", family.pk)).status_code == 404
    assert Swap.objects.get().status == Swap.Status.ASKED and Shift.objects.get(pk=booked.pk).pa == pa


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["approve", "refuse"])
def test_two_decisions_at_the_same_moment_on_postgresql_have_one_winner(family, parent, carer, pa, pa2, monday,
                                                                       second):
    """Both pages were opened on the same version; the shift's row lock lets one through and the
    other is told (stale after an approval, "already dealt with" after a refusal)."""
    shift = services.create_shift(recipient=family, start=at(monday, 9), end=at(monday, 15), kind="day",
                                  actor=parent, pa=pa, tell_pa=False)
    swap = services.ask_swap(shift=shift, pa=pa, to_pa=pa2)
    services.answer_swap(swap=swap, pa=pa2, accept=True)
    version = Shift.objects.get(pk=shift.pk).version
    start = threading.Barrier(2)
    results = {}

    def decide(user, approve):
        try:
            start.wait()
            services.decide_swap(swap=swap, actor=user, approve=approve, expected_version=version)
            results[user.username] = "decided"
        except (services.StaleShift, ValidationError) as told:
            results[user.username] = told
        finally:
            connection.close()  # each thread has its own connection; leave none open for teardown

    threads = [threading.Thread(target=decide, args=(parent, True)),
               threading.Thread(target=decide, args=(carer, second == "approve"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert list(results.values()).count("decided") == 1
    swap.refresh_from_db()
    assert swap.status in (Swap.Status.APPROVED, Swap.Status.REJECTED)
    winner = swap.decided_by.username
    assert results[winner] == "decided"
    assert Message.objects.filter(purpose__startswith="rota-swap", user=pa).exclude(
        purpose="rota-swap-asked").count() == 1  # the asking PA hears one outcome
    assert (Shift.objects.get(pk=shift.pk).pa == pa2) == (swap.status == Swap.Status.APPROVED)

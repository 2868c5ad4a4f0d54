"""The record of care given on shifts: the PA records each delegated task carried out (with the
catalogue's observations), raises concerns that reach the practitioner and the budget holder once,
and the practitioner reads the log per person and per PA with missed records showing.
Records are append-only and visible only to the PA who made them, the person's clinicians, the
budget holder and the coordinator."""
import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import Role
from notifications.models import Message
from tests.factories import ProfileFactory, member
from tests.rota.factories import ShiftFactory
from workflows.delegation import care_given
from workflows.delegation.models import CareGiven, Concern

from .steps import catalogue, signed_off_delegation

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def glucose():
    return catalogue("capillary-blood-glucose")


def shift_for(recipient, pa, *tasks, start=None, hours=6):
    start = start or timezone.now() - 2 * HOUR
    shift = ShiftFactory(recipient=recipient, pa=pa, start=start, end=start + hours * HOUR)
    shift.tasks.set(tasks)
    return shift


def post_entry(client, shift, task, **data):
    prefix = f"t{task.pk}"
    body = {"kind": "care", "task": task.pk, f"{prefix}-client_key": str(uuid.uuid4()),
            f"{prefix}-healthcare_task": task.pk, f"{prefix}-time": timezone.localtime().strftime("%H:%M"),
            f"{prefix}-result": "done", f"{prefix}-note": ""}
    body.update({f"{prefix}-{k}": v for k, v in data.items()})
    return client.post(reverse("workflows:shift_care", args=[shift.pk]), body, HTTP_ACCEPT="application/json")


def test_the_pa_records_a_glucose_check_with_its_reading(client, family, pa, glucose):
    shift = shift_for(family, pa, glucose)
    client.force_login(pa)
    page = client.get(reverse("workflows:shift_care", args=[shift.pk])).content.decode()
    assert "Blood glucose (mmol/L)" in page
    response = post_entry(client, shift, glucose, obs_glucose="6.4")
    assert response.status_code == 200 and response.json()["ok"]
    entry = CareGiven.objects.get()
    assert (entry.pa, entry.result, entry.observations) == (pa, "done", {"glucose": "6.4"})


def test_a_missing_or_impossible_reading_is_refused_and_nothing_is_written(client, family, pa, glucose):
    shift = shift_for(family, pa, glucose)
    client.force_login(pa)
    assert post_entry(client, shift, glucose, obs_glucose="").status_code == 400
    refused = post_entry(client, shift, glucose, obs_glucose="64")
    assert refused.status_code == 400 and "between 0.5 and 40" in str(refused.json()["errors"])
    assert post_entry(client, shift, glucose, result="not_done").status_code == 400  # why not?
    assert not CareGiven.objects.exists()
    assert post_entry(client, shift, glucose, result="refused", note="Said no; told mum").status_code == 200


def test_a_send_retried_after_a_weak_signal_records_once(client, family, pa, glucose):
    shift = shift_for(family, pa, glucose)
    client.force_login(pa)
    key = str(uuid.uuid4())
    for _ in range(2):
        assert post_entry(client, shift, glucose, obs_glucose="5.1", client_key=key).json()["ok"]
    assert CareGiven.objects.count() == 1


def test_a_correction_is_a_new_row_pointing_at_the_old(family, pa, glucose):
    shift = shift_for(family, pa, glucose)
    first = care_given.record_care_given(
        actor=pa, shift=shift, healthcare_task=glucose, done_at=timezone.now() - HOUR, result="done",
        observations={"glucose": "4.1"}, client_key=uuid.uuid4())
    fixed = care_given.record_care_given(
        actor=pa, shift=shift, healthcare_task=glucose, done_at=first.done_at, result="done",
        observations={"glucose": "14.1"}, note="Typo", client_key=uuid.uuid4(), corrects=first)
    first.refresh_from_db()
    assert first.observations == {"glucose": "4.1"} and fixed.corrects == first
    with pytest.raises(Exception):
        CareGiven.objects.filter(pk=first.pk).update(note="edited")


def test_a_task_not_on_the_shift_or_a_time_outside_it_is_refused(family, pa, glucose):
    from django.core.exceptions import ValidationError

    shift = shift_for(family, pa, glucose)
    with pytest.raises(ValidationError):
        care_given.record_care_given(actor=pa, shift=shift, healthcare_task=catalogue("nebuliser"),
                                     done_at=timezone.now(), result="done", observations={}, client_key=uuid.uuid4())
    with pytest.raises(ValidationError):
        care_given.record_care_given(actor=pa, shift=shift, healthcare_task=glucose, done_at=shift.start - 5 * HOUR,
                                     result="done", observations={"glucose": "5"}, client_key=uuid.uuid4())


def test_records_are_refused_to_a_pa_of_the_same_family_who_did_not_make_them(client, family, pa, glucose, parent,
                                                                              nurse, coordinator):
    second_pa = member(family, Role.PA, username="pa-two")
    shift = shift_for(family, pa, glucose)
    care_given.record_care_given(actor=pa, shift=shift, healthcare_task=glucose, done_at=timezone.now() - HOUR,
                                 result="done", observations={"glucose": "7.7"}, client_key=uuid.uuid4())
    client.force_login(second_pa)
    assert client.get(reverse("workflows:shift_care", args=[shift.pk])).status_code == 403
    own_log = client.get(reverse("workflows:care_log", args=[family.pk])).content.decode()
    assert "7.7" not in own_log  # their log shows their own shifts only
    assert "7.7" not in client.get(reverse("workflows:care_log", args=[family.pk]) + f"?pa={pa.pk}").content.decode()
    # the same pages for those allowed: the PA who made it, the clinician, the budget holder, the coordinator
    for allowed in (pa, nurse, parent, coordinator):
        client.force_login(allowed)
        assert "glucose: 7.7" in client.get(reverse("workflows:care_log", args=[family.pk])).content.decode()


def test_outside_the_circle_the_shift_and_log_are_404(client, family, pa, glucose, other_parent, other_pa):
    shift = shift_for(family, pa, glucose)
    for outsider in (other_parent, other_pa):
        client.force_login(outsider)
        assert client.get(reverse("workflows:shift_care", args=[shift.pk])).status_code == 404
        assert client.get(reverse("workflows:care_log", args=[family.pk])).status_code == 404


def test_the_log_shows_missed_records_per_pa(client, family, pa, glucose, nurse):
    done = shift_for(family, pa, glucose, start=timezone.now() - 30 * HOUR)
    shift_for(family, pa, glucose, start=timezone.now() - 54 * HOUR)  # nothing recorded
    care_given.record_care_given(actor=pa, shift=done, healthcare_task=glucose, done_at=done.start + HOUR,
                                 result="done", observations={"glucose": "5.5"}, client_key=uuid.uuid4())
    client.force_login(nurse)
    page = client.get(reverse("workflows:care_log", args=[family.pk]) + f"?pa={pa.pk}").content.decode()
    assert "Missed: nothing recorded" in page and "<strong>1</strong> missed record" in page


def test_care_given_log_queries_stay_flat_as_rows_grow(client, family, pa, glucose, nurse,
                                                       django_assert_max_num_queries):
    url = reverse("workflows:care_log", args=[family.pk])
    client.force_login(nurse)
    shift_for(family, pa, glucose, start=timezone.now() - 30 * HOUR)
    # session + user, circle checks, the PAs, the log's three (shifts, tasks, entries), the audit check
    with django_assert_max_num_queries(16) as one:
        assert client.get(url).status_code == 200
    nebuliser = catalogue("nebuliser")
    for day in range(2, 12):
        shift = shift_for(family, pa, glucose, nebuliser, start=timezone.now() - day * 24 * HOUR)
        care_given.record_care_given(actor=pa, shift=shift, healthcare_task=glucose, done_at=shift.start + HOUR,
                                     result="done", observations={"glucose": "6"}, client_key=uuid.uuid4())
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("glucose: 6") == 10


def test_a_concern_texts_the_practitioner_and_budget_holder_once_and_waits_on_their_home_pages(
        client, family, parent, nurse, pa, django_capture_on_commit_callbacks):
    ProfileFactory(user=parent)
    ProfileFactory(user=nurse)
    task = catalogue("tracheostomy-suction")
    signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family, task=task)
    shift = shift_for(family, pa, task)
    client.force_login(pa)
    data = {"kind": "concern", "concern-client_key": str(uuid.uuid4()),
            "concern-what_happened": "Tube blocked at 14:10, dusky", "concern-what_they_did": "Changed the tube, 999",
            "concern-who_they_told": "999 and mum"}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # a retried send
            response = client.post(reverse("workflows:shift_care", args=[shift.pk]), data, HTTP_ACCEPT="application/json")
            assert response.json()["ok"]
    concern = Concern.objects.get()
    sent = Message.objects.filter(purpose="delegation-concern")
    assert sorted(m.user_id for m in sent) == sorted([nurse.pk, parent.pk])
    for message in sent:
        assert concern.reference in message.body and "tube" not in message.body.lower()
        assert reverse("workflows:concern", args=[concern.pk]) in message.body

    for who in (nurse, parent):
        client.force_login(who)
        assert f"Concern {concern.reference}" in client.get(reverse("home")).content.decode()
    client.force_login(nurse)
    client.post(reverse("workflows:concern", args=[concern.pk]), {"response": "Visited; new tube size"})
    assert f"Concern {concern.reference}" not in client.get(reverse("home")).content.decode()
    client.force_login(parent)
    assert "Visited; new tube size" in client.get(reverse("workflows:concern", args=[concern.pk])).content.decode()


def test_the_pa_is_asked_on_their_home_page_to_record_a_shift(client, family, pa, glucose):
    shift = shift_for(family, pa, glucose)
    client.force_login(pa)
    home = client.get(reverse("home")).content.decode()
    assert "Record the care given on your shift" in home
    assert reverse("workflows:shift_care", args=[shift.pk]) in home


def test_a_missed_record_is_chased_once_by_text_and_shown_to_the_budget_holder_and_nurse(
        client, family, parent, pa, glucose, nurse, django_capture_on_commit_callbacks):
    from workflows.delegation.jobs import missed_care_records

    # one PA's shifts never overlap (PostgreSQL refuses a double booking)
    ended_3h_ago = shift_for(family, pa, glucose, start=timezone.now() - 5 * HOUR, hours=2)
    recorded = shift_for(family, pa, glucose, start=timezone.now() - 8 * HOUR, hours=2)
    shift_for(family, pa, glucose, start=timezone.now() - 2 * HOUR, hours=1)  # ended an hour ago: not yet chased
    care_given.record_care_given(actor=pa, shift=recorded, healthcare_task=glucose, done_at=recorded.start + HOUR,
                                 result="done", observations={"glucose": "5.5"}, client_key=uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        assert missed_care_records() == {"chased": 1}
        missed_care_records()  # the job runs again: nothing twice
    texts = Message.objects.filter(purpose="delegation-record-missing")
    assert texts.count() == 1
    text = texts.get()
    assert text.user == pa and f"/shifts/{ended_3h_ago.pk}/care-given/" in text.body
    assert "glucose" not in text.body.lower()  # nothing clinical on a lock screen

    for reader in (parent, nurse):
        client.force_login(reader)
        page = client.get(reverse("home")).content.decode()
        assert page.count("No record of care given") == 1, reader
    client.force_login(pa)  # the PA is asked on their own page instead
    assert "No record of care given" not in client.get(reverse("home")).content.decode()

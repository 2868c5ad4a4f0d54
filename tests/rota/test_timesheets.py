"""Timesheets: a finished shift becomes one, the PA confirms (page or "OK <code>") or corrects it,
the budget holder approves or queries it; versions are append-only; races have one winner."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from care.models import AuditEvent
from care.kernel.records import AppendOnlyError
from notifications.models import Message
from rota import services, timesheets
from rota.models import Shift, Timesheet, TimesheetVersion
from tests.employment.factories import absence, worked

from .factories import ShiftFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(family, pa):
    """A booked day shift that ended an hour ago."""
    end = timezone.now() - datetime.timedelta(hours=1)
    return ShiftFactory(recipient=family, pa=pa, start=end - datetime.timedelta(hours=6), end=end)


def test_a_finished_shift_becomes_a_timesheet_and_the_pa_is_texted_a_code(finished, pa):
    assert services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    assert timesheet.status == "to_confirm" and timesheet.current_version.source == "plan"
    text = Message.objects.get(user=pa, purpose="timesheet-ended")
    assert f"Reply OK {timesheet.code}" in text.body and "/timesheets/" in text.body


def test_ok_code_by_text_confirms_it_and_a_second_ok_is_told(finished, pa):
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    assert timesheets.handle_ok_reply(user=pa, number="", keyword="OK", args=timesheet.code) == \
        f"Thanks, timesheet {timesheet.code} is confirmed."
    assert Timesheet.objects.get(pk=timesheet.pk).status == "confirmed"
    again = timesheets.handle_ok_reply(user=pa, number="", keyword="OK", args=timesheet.code)
    assert "already" in again
    assert AuditEvent.objects.filter(action="rota.timesheet_confirmed").count() == 1


def test_someone_elses_code_is_not_theirs(finished, pa, pa2):
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    assert "no timesheet" in timesheets.handle_ok_reply(user=pa2, number="", keyword="OK", args=timesheet.code)
    assert Timesheet.objects.get(pk=timesheet.pk).status == "to_confirm"


def test_the_pa_corrects_the_times_and_the_budget_holder_approves_the_correction(client, finished, pa, parent):
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    local_start = timezone.localtime(finished.start)
    late = timezone.localtime(finished.end + datetime.timedelta(minutes=45))
    client.force_login(pa)
    response = client.post(reverse("timesheets:correct", args=[timesheet.pk]), {
        "day": local_start.date().isoformat(), "start_time": local_start.strftime("%H:%M"),
        "end_time": late.strftime("%H:%M"), "break_minutes": "20", "woken_minutes": "0", "reason": "Stayed late",
        "version": timesheet.version,
    })
    assert response.status_code == 302
    timesheet.refresh_from_db()
    assert timesheet.status == "confirmed" and timesheet.current_version.number == 2
    assert (timesheet.current_version.break_minutes, timesheet.current_version.reason) == (20, "Stayed late")
    client.force_login(parent)
    client.post(reverse("timesheets:approve", args=[timesheet.pk]), {"version": timesheet.version})
    timesheet.refresh_from_db()
    assert timesheet.status == "approved" and timesheet.approved_version.number == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"rota.timesheet_corrected", "rota.timesheet_approved"} <= actions


def test_nothing_is_approved_before_the_pa_confirms(finished, parent):
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    with pytest.raises(ValidationError, match="not confirmed"):
        timesheets.approve_timesheet(timesheet=timesheet, actor=parent)
    assert Timesheet.objects.get(pk=timesheet.pk).approved_version is None


def test_approved_by_two_at_once_one_wins_and_the_other_is_told(finished, parent, family, pa):
    from care.models import Role
    from tests.factories import member

    second_holder = member(family, Role.BUDGET_HOLDER, username="second-holder")
    member(family, Role.CARER, user=second_holder)
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    timesheets.confirm_timesheet(timesheet=timesheet, pa=pa)
    seen = Timesheet.objects.get(pk=timesheet.pk)  # both opened the page at this version
    timesheets.approve_timesheet(timesheet=seen, actor=parent, expected_version=seen.version)
    with pytest.raises(ValidationError, match="Already approved by"):
        timesheets.approve_timesheet(timesheet=seen, actor=second_holder, expected_version=seen.version)
    assert Timesheet.objects.get(pk=timesheet.pk).approved_by == parent
    assert AuditEvent.objects.filter(action="rota.timesheet_approved").count() == 1


def test_a_query_needs_a_reason_and_sends_the_pa_back_to_it(finished, parent, pa):
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    timesheets.confirm_timesheet(timesheet=timesheet, pa=pa)
    with pytest.raises(ValidationError, match="Say what"):
        timesheets.query_timesheet(timesheet=timesheet, actor=parent, reason=" ")
    timesheets.query_timesheet(timesheet=timesheet, actor=parent, reason="You left at 14:00, I think")
    timesheet.refresh_from_db()
    assert (timesheet.status, timesheet.query_reason) == ("queried", "You left at 14:00, I think")
    queried = Message.objects.get(user=pa, purpose="timesheet-queried")
    assert "14:00, I think" not in queried.body  # the reason is on the page, never in a text
    assert AuditEvent.objects.filter(action="rota.timesheet_queried").exists()


def test_approved_versions_are_append_only_and_a_correction_keeps_the_paid_one(finished, parent, pa):
    timesheet = worked(finished, approver=parent)
    paid = timesheet.approved_version
    timesheets.correct_timesheet(timesheet=timesheet, actor=parent, start=finished.start,
                                 end=finished.end - datetime.timedelta(hours=1), reason="Left early, agreed")
    timesheet.refresh_from_db()
    assert timesheet.approved_version == paid and timesheet.current_version.number == 2
    assert timesheet.status == "to_confirm"  # the budget holder's change waits for the PA
    paid.break_minutes = 99
    with pytest.raises(AppendOnlyError):
        paid.save()
    with pytest.raises(AppendOnlyError):
        TimesheetVersion.objects.filter(timesheet=timesheet).update(break_minutes=1)


@pytest.mark.parametrize("change, message", [
    ({"break_minutes": -5}, "negative"),
    ({"start_shift": -7}, "further from the shift"),  # 7 h before a 6 h shift's start
    ({"end_shift": 7}, "further from the shift"),
    ({"woken_minutes": 30}, "sleep-ins only"),
    ({"break_minutes": 6 * 60}, "as long as the shift"),
])
def test_impossible_times_are_refused_and_nothing_saved(finished, pa, change, message):
    services.complete_shift(shift=finished)
    timesheet = Timesheet.objects.get(shift=finished)
    start = finished.start + datetime.timedelta(hours=change.get("start_shift", 0))
    end = finished.end + datetime.timedelta(hours=change.get("end_shift", 0))
    with pytest.raises(ValidationError, match=message):
        timesheets.correct_timesheet(timesheet=timesheet, actor=pa, start=start, end=end, reason="x",
                                     break_minutes=change.get("break_minutes", 0),
                                     woken_minutes=change.get("woken_minutes", 0))
    assert TimesheetVersion.objects.filter(timesheet=timesheet).count() == 1


def test_a_shift_that_already_happened_is_recorded_by_the_budget_holder_and_confirmed_by_the_pa(client, family,
                                                                                                 parent, pa):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(parent)
    response = client.post(reverse("timesheets:worked", args=[family.pk]), {
        "pa": pa.pk, "kind": "day", "day": yesterday.isoformat(), "start_time": "09:00", "end_time": "13:00",
        "break_minutes": "0", "woken_minutes": "0", "reason": "Cover when Sam's bus broke down",
    })
    assert response.status_code == 302
    timesheet = Timesheet.objects.get(pa=pa)
    assert timesheet.shift.status == Shift.Status.COMPLETED and timesheet.status == "to_confirm"
    assert timesheet.current_version.source == "employer"
    assert Message.objects.filter(user=pa, purpose="timesheet-recorded").exists()
    timesheets.handle_ok_reply(user=pa, number="", keyword="OK", args=timesheet.code)
    assert Timesheet.objects.get(pk=timesheet.pk).status == "confirmed"
    assert AuditEvent.objects.filter(action="rota.timesheet_recorded").exists()


def test_a_shift_not_yet_over_cannot_be_recorded_as_worked(family, parent, pa):
    start = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError, match="not ended"):
        timesheets.record_worked_shift(recipient=family, pa=pa, actor=parent, kind="day", start=start,
                                       end=start + datetime.timedelta(hours=2))
    assert not Shift.objects.exists()


def test_recording_worked_time_over_approved_leave_is_refused(family, parent, pa):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    absence(family, pa, yesterday)
    with pytest.raises(ValidationError, match="on holiday"):
        timesheets.record_worked_shift(recipient=family, pa=pa, actor=parent, kind="day",
                                       start=at(yesterday, 9), end=at(yesterday, 12))


def test_only_the_budget_holder_records_worked_shifts(family, carer, pa):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        timesheets.record_worked_shift(recipient=family, pa=pa, actor=carer, kind="day",
                                       start=at(yesterday, 9), end=at(yesterday, 12))


def test_timesheet_pages_refuse_with_the_right_codes(client, finished, family, parent, pa, pa2, other_parent):
    timesheet = worked(finished, approver=parent, approve=False)
    detail = reverse("timesheets:detail", args=[timesheet.pk])
    approve = reverse("timesheets:approve", args=[timesheet.pk])
    client.force_login(other_parent)
    assert client.get(detail).status_code == 404
    assert client.post(approve).status_code == 404
    client.force_login(pa2)  # same circle, not their timesheet
    assert client.get(detail).status_code == 403
    client.force_login(pa)
    assert client.get(detail).status_code == 200
    assert client.post(approve).status_code == 403
    client.force_login(parent)
    assert client.get(approve).status_code == 405
    assert client.post(approve).status_code == 302
    assert Timesheet.objects.get(pk=timesheet.pk).status == "approved"


def test_the_timesheet_list_shows_a_pa_only_their_own(client, family, parent, pa, pa2, monday):
    mine = worked(ShiftFactory(recipient=family, pa=pa, start=at(monday, 9), end=at(monday, 12)), approver=parent)
    theirs = worked(ShiftFactory(recipient=family, pa=pa2, start=at(monday, 13), end=at(monday, 16)), approver=parent)
    client.force_login(pa)
    body = client.get(reverse("timesheets:list", args=[family.pk])).content.decode()
    assert reverse("timesheets:detail", args=[mine.pk]) in body
    assert reverse("timesheets:detail", args=[theirs.pk]) not in body


def test_the_ok_reply_handler_is_registered():
    from notifications import replies

    assert replies.handler_for("OK") is timesheets.handle_ok_reply

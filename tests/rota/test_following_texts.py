"""A "this and following" edit texts each booked PA once for all their moved shifts (not once a
shift), from a fixed template with the family's label and a link, and never twice for one edit."""
import datetime

from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent
from notifications.models import Message
from rota import services

from .factories import YEAR, at


def local(dt):
    return timezone.localtime(dt)


def pattern(family, parent, pa):
    return services.create_pattern(recipient=family, actor=parent, weekdays=[0, 1, 2, 3, 4],
                                   start_time=datetime.time(8), end_time=datetime.time(15), kind="day",
                                   starts_on=datetime.date(YEAR, 3, 1), weeks=2, pa=pa)


def changed_texts(user):
    return list(Message.objects.filter(to=user.profile.mobile, purpose="rota-changed"))


def move_following(shift, parent, start_hour=9, end_hour=16):
    day = local(shift.start).date()
    return services.update_following(shift=shift, actor=parent, expected_version=shift.version,
                                     start=at(day, start_hour), end=at(day, end_hour), kind="day", tasks=[])


def test_moving_this_and_following_texts_the_pa_once_for_all_their_shifts(family, parent, pa):
    services.update_rota_settings(recipient=family, actor=parent, offer_follow_up_hours=12, label="Rose St")
    made = pattern(family, parent, pa)
    third = made.shifts[2]  # Wed 3 March: it and the seven after it move
    move_following(third, parent)
    texts = changed_texts(pa)
    assert len(texts) == 1
    body = texts[0].body
    assert body.startswith("paworkflow (Rose St): your shifts from Wed 3 Mar have changed: 8 shifts")
    assert "the first now Wed 03 Mar 09:00-16:00" in body
    assert body.endswith(reverse("rota:pattern", args=[made.pattern.pk]))
    assert "Alfie" not in body and "Testcase" not in body  # never the person's name
    assert AuditEvent.objects.filter(action="rota.changed_following", recipient=family).count() == 1


def test_each_pa_gets_one_text_and_a_single_moved_shift_reads_as_before(family, parent, pa, pa2):
    made = pattern(family, parent, pa)
    last = made.shifts[-1]
    services.confirm_shift(shift=last, pa=pa2, actor=parent)  # the last one was handed to pa2
    move_following(made.shifts[5], parent)
    mine, theirs = changed_texts(pa), changed_texts(pa2)
    assert len(mine) == 1 and "4 shifts" in mine[0].body  # 8, 9, 10, 11 March
    assert len(theirs) == 1
    assert "your shift Fri 12 Mar 08:00-15:00 is now Fri 12 Mar 09:00-16:00" in theirs[0].body


def test_a_second_edit_texts_again_but_one_edit_never_twice(family, parent, pa):
    made = pattern(family, parent, pa)
    first = move_following(made.shifts[0], parent)
    assert len(changed_texts(pa)) == 1
    move_following(first, parent, start_hour=10, end_hour=17)
    assert len(changed_texts(pa)) == 2


def test_changing_only_the_notes_texts_nobody(family, parent, pa):
    made = pattern(family, parent, pa)
    shift = made.shifts[0]
    services.update_following(shift=shift, actor=parent, expected_version=shift.version, start=shift.start,
                              end=shift.end, kind="day", tasks=[], notes="Bring the swim bag")
    assert not changed_texts(pa)

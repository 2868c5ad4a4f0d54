"""Redis restarts (losing everything: no snapshot, no append-only file) while rota pages are open on
both web processes: every change saved meanwhile stands, and every page ends up showing all of them,
each number applied once and in order, as static/js/rota.js would."""
import pytest

from notifications.models import Message, Status
from rota.live import current_seq
from rota.models import Shift

from .helpers import new_shift, next_week, wait_for

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def every_page_shows(pages, shift_pks, seq):
    return all(page.last_seq == seq and all(page.shows(pk) for pk in shift_pks) for page in pages)


def test_pages_resynchronise_after_redis_restarts_and_no_write_is_lost(system_stack, circle, pages, browsers):
    monday, wednesday = next_week()
    on_a = browsers(system_stack, "web_a", "sys-parent")
    on_b = browsers(system_stack, "web_b", "sys-parent")
    logs_before = system_stack.mark()
    opened = [pages.open(browser, circle.recipient.pk, system_stack, web, f"page {i} on {web}", week=monday.isoformat())
              for i in range(2) for web, browser in (("web_a", on_a), ("web_b", on_b))]
    pages.wait_connected()
    assert new_shift(on_a, circle.recipient.pk, wednesday, "07:00", "08:00").status_code == 302
    saved = set(Shift.objects.values_list("pk", flat=True))
    wait_for(lambda: every_page_shows(opened, saved, 1), lambda: f"the first change on every page: {opened}")

    system_stack.redis.stop()
    # Redis is down; PostgreSQL is not. Changes made now must stand, on either process, including
    # one that texts a PA (its send is queued in the outbox, whatever the broker says).
    # A page opened now loads (PostgreSQL) but its socket cannot join the rota's group: it is closed,
    # and the page keeps reconnecting with backoff until Redis is back.
    late = pages.open(on_b, circle.recipient.pk, system_stack, "web_b", "page opened during the outage",
                      week=monday.isoformat())
    booked = new_shift(on_a, circle.recipient.pk, wednesday, "09:00", "10:00", pa=circle.pas[0])
    assert booked.status_code == 302, booked.text[:2000]
    assert new_shift(on_b, circle.recipient.pk, wednesday, "11:00", "12:00").status_code == 302
    wait_for(lambda: late.closes, lambda: f"the late page's first socket to fail: {late}")
    system_stack.redis.start()
    for web in system_stack.WEB:
        system_stack.wait_healthy(web)

    saved = set(Shift.objects.values_list("pk", flat=True))
    assert len(saved) == 3
    # Pages whose sockets stayed open heard nothing of changes 2 and 3: their next hello (rota.js says
    # one every 15 s) fetches them. The late page says hello when it finally connects.
    opened.append(late)
    wait_for(lambda: every_page_shows(opened, saved, 3), lambda: f"every page to catch up after the restart: {opened}",
             timeout=45)
    assert late.connects == 1, late

    # And live updates flow again, through Redis, to pages on both processes.
    assert new_shift(on_b, circle.recipient.pk, wednesday, "13:00", "14:00").status_code == 302
    saved = set(Shift.objects.values_list("pk", flat=True))
    wait_for(lambda: every_page_shows(opened, saved, 4),
             lambda: f"the change after the restart on every page: {opened}")
    assert current_seq(circle.recipient.pk) == 4
    # Each page applied every number once, in order, from where its page load left it: nothing
    # missed, nothing twice, no snapshot needed.
    for page in opened:
        assert page.applied == list(range(page.first_seq + 1, 5)) and not page.snapshots, page
    # The text queued while the broker was unreachable never reached Redis; the outbox row did, and
    # beat's sweep hands it to the worker once it is a minute overdue. Sent once.
    booked_text = Message.objects.get(purpose="rota-booked")
    wait_for(lambda: Message.objects.get(pk=booked_text.pk).status == Status.SENT,
             "the text queued while Redis was down to be sent", timeout=120)
    printed = system_stack.worker_output(since=logs_before)
    assert printed.count(f"SMS to {booked_text.to} (rota-booked): {booked_text.body}") == 1

"""The expiry and reminder sweep: once per competency and per reminder, however often it runs."""
import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from care.models import AuditEvent
from competencies import services
from competencies.models import Competency, CompetencyEvent, Reminder, Status
from competencies.signals import competency_lapsed
from notifications.models import Message

from tests.factories import ProfileFactory

from .factories import CompetencyFactory

DAY = datetime.timedelta(days=1)


def due_at(when, **kwargs):
    return CompetencyFactory(valid_from=when - 300 * DAY, valid_until=when, **kwargs)


def test_expired_competencies_are_marked_once_and_the_rota_is_told_once(db, pa, family):
    lapsed = []
    competency_lapsed.connect(lambda **kw: lapsed.append(kw["competency"].pk), weak=False, dispatch_uid="t-expire")
    try:
        gone = due_at(timezone.now() - DAY, pa=pa, recipient=family)
        kept = due_at(timezone.now() + DAY, pa=pa, recipient=family, task=gone.task.__class__.objects.get(code="oxygen-therapy"))
        assert services.expire_due() == 1
        assert services.expire_due() == 0
    finally:
        competency_lapsed.disconnect(dispatch_uid="t-expire")
    assert lapsed == [gone.pk]
    assert Competency.objects.get(pk=gone.pk).status == Status.EXPIRED
    assert Competency.objects.get(pk=kept.pk).status == Status.SIGNED_OFF
    assert CompetencyEvent.objects.filter(competency=gone, status=Status.EXPIRED, actor=None).count() == 1


def test_reminders_go_at_28_and_7_days_and_never_twice(db, pa, family):
    competency = due_at(timezone.now() + 20 * DAY, pa=pa, recipient=family)
    assert services.send_expiry_reminders() == 1
    assert services.send_expiry_reminders() == 0
    assert services.send_expiry_reminders(now=timezone.now() + 14 * DAY) == 1  # 6 days left: the 7-day one
    assert services.send_expiry_reminders(now=timezone.now() + 15 * DAY) == 0
    assert sorted(Reminder.objects.filter(competency=competency).values_list("days_before", flat=True)) == [7, 28]
    texts = Message.objects.filter(purpose="competency_reminder")
    assert texts.count() == 2 and all("C%d" % competency.pk in t.body for t in texts)


def test_a_renewal_earns_fresh_reminders(db, pa, family, nurse):
    from .factories import catalogue, earn_sign_off

    competency = earn_sign_off(pa=pa, recipient=family, task=catalogue("nebuliser"), clinician=nurse,
                               at=timezone.now() - 350 * DAY)
    assert services.send_expiry_reminders() == 1
    services.renew(competency=competency, actor=nurse)
    assert services.send_expiry_reminders() == 0  # a year away again
    assert services.send_expiry_reminders(now=timezone.now() + 340 * DAY) == 1


def test_sweep_query_count_does_not_grow_with_rows(db, pa, family, nurse, django_assert_max_num_queries):
    """Nothing due: four queries (timers, expiry, two reminder windows), at 1 row or at 300."""
    from workflows.delegation.jobs import delegation_sweep

    CompetencyFactory(pa=pa, recipient=family)
    with django_assert_max_num_queries(4):
        delegation_sweep()
    CompetencyFactory.create_batch(300, pa=pa, signed_off_by=nurse)  # 300 people, one PA
    with django_assert_max_num_queries(4):
        delegation_sweep()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_expire_each_competency_once(pa, family):
    rows = [due_at(timezone.now() - DAY, pa=pa) for _ in range(20)]
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(services.expire_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == len(rows)
    assert CompetencyEvent.objects.filter(status=Status.EXPIRED).count() == len(rows)


def _due_in_families(count, nurse):
    """`count` competencies of each kind the sweep acts on (past their date, in the 28-day window, in
    the 7-day window), each in its own family with a budget holder and PA who take texts."""
    from care.models import Role
    from tests.factories import CareRecipientFactory, member

    now = timezone.now()
    for when in (now - DAY, now + 20 * DAY, now + 3 * DAY):
        for _ in range(count):
            family = CareRecipientFactory()
            holder = member(family, Role.BUDGET_HOLDER)
            ProfileFactory(user=holder)
            due_at(when, pa=member(family, Role.PA), recipient=family, signed_off_by=nurse)


def test_the_sweep_spends_at_most_four_queries_per_due_competency(db, nurse):
    """Every lapse and reminder is recorded, audited and texted, in queries that grow with what is
    due by at most four per competency (the rota's look at each lapse's shifts among them)."""
    from workflows.delegation.jobs import delegation_sweep

    costs = {}
    for count in (2, 8):
        _due_in_families(count, nurse)
        with CaptureQueriesContext(connection) as queries:
            result = delegation_sweep()
        assert result == {"timers_fired": 0, "expired": count, "reminders": 2 * count}
        costs[count] = len(queries.captured_queries)
    assert Message.objects.filter(purpose="competency_change").count() == 2 * (2 + 8)  # the PA and the budget holder
    assert Message.objects.filter(purpose="competency_reminder").count() == 2 * 2 * (2 + 8)
    assert CompetencyEvent.objects.filter(status=Status.EXPIRED).count() == 2 + 8
    assert AuditEvent.objects.filter(action="competency.expired").count() == 2 + 8
    due = 3 * (8 - 2)
    assert costs[8] - costs[2] <= 4 * due, costs
    assert costs[8] <= 4 * 3 * 8, costs

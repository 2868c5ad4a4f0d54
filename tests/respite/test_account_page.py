"""The carer's page: balance now, hours expiring soon with dates, upcoming respite, the statement
with a running balance, and a server-drawn chart of the last 12 months (no script)."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from respite import services, settlement
from tests.respite.factories import RespiteAccountFactory, local


def book(account, actor, day, hour=10, hours=2):
    start = local(day.year, day.month, day.day, hour)
    return services.book_respite(account=account, start=start, end=start + datetime.timedelta(hours=hours), actor=actor)


@pytest.fixture
def busy_account(family, carer, parent):
    """Weekly 4 hours since last December, expiring after 12 months, with three bookings ahead."""
    with freeze_time(local(2026, 11, 23, 9)):
        account = RespiteAccountFactory(
            recipient=family, carer=carer, allowance_hours=Decimal("4"), period_length=1,
            periods_start_on=datetime.date(2025, 11, 24), expiry_months=12,
        )
        for weeks in range(53):
            settlement.settle_account(account=account, now=local(2025, 11, 24, 0) + datetime.timedelta(weeks=weeks))
        bookings = [book(account, carer, datetime.date(2026, 12, d)) for d in (5, 12, 19)]
        services.approve_booking(booking=bookings[0], actor=parent)
    return account


@freeze_time(local(2026, 11, 23, 12))
def test_the_page_shows_balance_expiring_hours_upcoming_respite_and_statement(client, carer, busy_account):
    client.force_login(carer)
    response = client.get(reverse("respite:account", args=[busy_account.pk]))
    body = response.content.decode()
    assert response.context["balance"] == busy_account.balance() == Decimal("206.00")  # 53 x 4 - 3 x 2
    # Each booking took the soonest-expiring hours still valid when it ends (the lots of 8, 15
    # and 22 Dec 2025 for the shifts on 5, 12 and 19 Dec 2026); 24 Nov and 1 Dec go untouched.
    assert response.context["expiring"][:3] == [
        (datetime.date(2026, 11, 24), Decimal("4.00")), (datetime.date(2026, 12, 1), Decimal("4.00")),
        (datetime.date(2026, 12, 8), Decimal("2.00")),
    ]
    assert "Tue 24 Nov 2026" in body
    upcoming = list(response.context["upcoming"])
    assert [b.status for b in upcoming] == ["booked", "awaiting_approval", "awaiting_approval"]
    assert "Sat 5 Dec 2026, 10:00–12:00" in body
    rows = response.context["statement"]
    assert len(rows) == 56 and rows[0].running_balance == Decimal("206.00")
    assert [r.running_balance for r in rows[:4]] == [Decimal("206.00"), Decimal("208.00"), Decimal("210.00"), Decimal("212.00")]
    assert "<svg" in body and 'role="img"' in body and "<script" not in body
    assert "Book respite" in body


def test_the_chart_steps_through_the_balance(client, carer, busy_account):
    with freeze_time(local(2026, 11, 23, 12)):
        client.force_login(carer)
        chart = client.get(reverse("respite:account", args=[busy_account.pk])).context["chart"]
    # Starts at the left edge at zero (y = bottom, 158) and steps once per entry in the window.
    assert chart["path"].startswith("M34.0 158.0") and chart["path"].count("V") == 56
    assert [m["label"] for m in chart["months"]][:2] == ["Dec", "Jan"] and len(chart["months"]) == 12
    assert [t["label"] for t in chart["ticks"]] == ["0", "125", "250"]
    assert "From 0 hours on 23 Nov 2025 to 206 hours now" in chart["summary"]


@pytest.mark.parametrize("many", [False, True])
def test_the_page_costs_the_same_queries_for_one_entry_or_many(
    request, client, carer, family, many, django_assert_max_num_queries
):
    if many:
        account = request.getfixturevalue("busy_account")  # 56 entries, 3 bookings
    else:
        account = RespiteAccountFactory(recipient=family, carer=carer, periods_start_on=datetime.date(2026, 11, 23))
        settlement.settle_account(account=account, now=local(2026, 11, 23, 9))  # one entry
    client.force_login(carer)
    # session and user (2), the account (1), guardian's answer for each of the three codenames
    # the page needs (use_respite, coordinate, view_budget: user and group permissions, 2 each),
    # then the statement, the expiring lots and the upcoming bookings (1 each): never per row.
    with freeze_time(local(2026, 11, 23, 12)), django_assert_max_num_queries(12):
        response = client.get(reverse("respite:account", args=[account.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("accounts", [1, 12])
def test_the_index_costs_the_same_queries_for_one_account_or_many(
    client, parent, family, accounts, django_assert_max_num_queries
):
    from tests.factories import member
    from care.models import Role

    for i in range(accounts):
        carer = parent if i == 0 else member(family, Role.CARER, username=f"carer{i}")
        settlement.settle_account(account=RespiteAccountFactory(recipient=family, carer=carer))
    client.force_login(parent)
    # session and user (2), guardian's content type for each of the three permission
    # subqueries (3), the accounts with their balances (1), the requests awaiting approval (1)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("respite:index"))
    assert len(response.context["accounts"]) == accounts

"""The pay-period page and GET /pay/<recipient>/export.csv: columns and totals against figures
worked by hand, bad ranges, who may see it, and query counts flat in shifts and PAs."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from care.models import Role
from rota.pay_views import COLUMNS
from tests.employment.factories import absence, terms, worked
from tests.factories import member

from .factories import YEAR, ShiftFactory, at

pytestmark = pytest.mark.django_db
MON = datetime.date(YEAR, 3, 1)
SUN = MON + datetime.timedelta(days=6)


def day(n):
    return MON + datetime.timedelta(days=n)


def export(client, recipient, first=MON, last=SUN):
    return client.get(reverse("pay:export", args=[recipient.pk]), {"from": first.isoformat(), "to": last.isoformat()})


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def week_worked(family, parent, pa, pa2):
    """One week, worked out by hand in the comments."""
    terms(family, pa, hourly_rate=Decimal("14.00"), sleep_in_allowance=Decimal("80.00"),
          night_uplift_percent=Decimal("10"), bank_holiday_uplift_percent=Decimal("50"))
    terms(family, pa2, contract="irregular", hourly_rate=Decimal("13.00"), sleep_in_allowance=Decimal("90.00"))
    # pa: Mon 09-17 day, 8 h x 14 = 112.00
    worked(ShiftFactory(recipient=family, pa=pa, start=at(day(0), 9), end=at(day(0), 17)), approver=parent)
    # pa: Tue 22-07 sleep-in woken an hour: 80 + 1 x 14 = 94.00
    worked(ShiftFactory(recipient=family, pa=pa, kind="sleep_in", start=at(day(1), 22), end=at(day(2), 7)),
           approver=parent, woken_minutes=60)
    # pa: Wed 22-Thu 06 waking night, all at night: 8 x 14 = 112.00 + 8 x 1.40 = 11.20
    worked(ShiftFactory(recipient=family, pa=pa, kind="waking_night", start=at(day(2), 22), end=at(day(3), 6)),
           approver=parent)
    # pa: off sick Friday (SSP from day one from April 2026)
    absence(family, pa, day(4), kind="sickness")
    # pa2: Thu 10-16 respite, 6 x 13 = 78.00; accrues 6 x 12.07% = 0.72 h
    worked(ShiftFactory(recipient=family, pa=pa2, kind="respite", start=at(day(3), 10), end=at(day(3), 16)),
           approver=parent)
    # pa2: Fri 09-12 confirmed but not approved: not paid, counted as waiting
    worked(ShiftFactory(recipient=family, pa=pa2, start=at(day(4), 9), end=at(day(4), 12)), approver=parent,
           approve=False)
    # pa2: a day's holiday on Monday, 6 h x 13 = 78.00
    absence(family, pa2, day(0), hours=Decimal("6"))


def test_the_export_has_its_documented_columns_in_order(client, family, parent, week_worked):
    client.force_login(parent)
    response = export(client, family)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["period_from", "period_to", *(name for name, _value in COLUMNS)]


def test_the_exports_figures_and_totals_match_the_hand_worked_week(client, family, parent, pa, pa2, week_worked):
    client.force_login(parent)
    by_name = {row["pa_name"]: row for row in rows(export(client, family))}
    one, two, total = by_name[pa.get_full_name()], by_name[pa2.get_full_name()], by_name["TOTAL"]
    assert (one["day_hours"], one["waking_night_hours"], one["sleep_ins"], one["sleep_in_woken_hours"]) == \
        ("8.00", "8.00", "1", "1.00")
    assert (one["night_hours"], one["basic_pay"], one["uplift_pay"], one["sleep_in_pay"]) == \
        ("8.00", "224.00", "11.20", "94.00")
    assert (one["sickness_days"], one["ssp_days"], one["gross_pay"]) == ("1", "1", "329.20")
    assert (two["respite_hours"], two["holiday_hours_taken"], two["holiday_pay"]) == ("6.00", "6.00", "78.00")
    assert (two["contract"], two["holiday_hours_accrued"], two["gross_pay"]) == ("irregular", "0.72", "156.00")
    assert (total["shifts"], total["gross_pay"], total["basic_pay"]) == ("4", "485.20", "302.00")
    assert total["period_from"] == MON.isoformat() and total["period_to"] == SUN.isoformat()


def test_the_pay_page_shows_the_same_totals_and_what_is_waiting(client, family, parent, week_worked):
    client.force_login(parent)
    body = client.get(reverse("pay:period", args=[family.pk]), {"from": MON.isoformat(),
                                                                "to": SUN.isoformat()}).content.decode()
    assert "£485.20" in body and "£329.20" in body
    assert "1 timesheet in these dates is not approved yet" in body


@pytest.mark.parametrize("first, last, message", [
    (SUN, MON, "reversed"),
    (MON, MON + datetime.timedelta(days=2 * 366), "two years"),
    (None, SUN, "Give both dates"),
])
def test_a_bad_range_is_a_clear_400(client, family, parent, first, last, message):
    client.force_login(parent)
    url = reverse("pay:export", args=[family.pk])
    response = client.get(url, {"from": first.isoformat() if first else "nonsense", "to": last.isoformat()})
    assert response.status_code == 400 and message in response.content.decode()
    page = client.get(reverse("pay:period", args=[family.pk]),
                      {"from": first.isoformat() if first else "nonsense", "to": last.isoformat()})
    assert page.status_code == 400 and message in page.content.decode()


def test_the_export_is_for_the_budget_holder_and_coordinator_only(client, family, parent, coordinator, pa, carer,
                                                                  other_parent):
    for user, status in [(other_parent, 404), (pa, 403), (carer, 403), (coordinator, 200), (parent, 200)]:
        client.force_login(user)
        assert export(client, family).status_code == status, user
        assert client.get(reverse("pay:period", args=[family.pk])).status_code == status, user
    assert client.post(reverse("pay:export", args=[family.pk])).status_code == 405


def test_a_name_is_never_a_spreadsheet_formula(client, family, parent, pa):
    pa.first_name, pa.last_name = "=HYPERLINK(1)", ""
    pa.save()
    worked(ShiftFactory(recipient=family, pa=pa, start=at(day(0), 9), end=at(day(0), 10)), approver=parent)
    client.force_login(parent)
    assert rows(export(client, family))[0]["pa_name"] == "'=HYPERLINK(1)"


def _queries(client, family, page):
    client.get(page)  # warm the session and permission caches like a second request would be
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page)
    assert response.status_code == 200
    return len(captured)


def test_query_counts_of_the_page_and_export_are_flat_in_shifts_and_pas(client, family, parent, pa):
    client.force_login(parent)
    terms(family, pa)
    worked(ShiftFactory(recipient=family, pa=pa, start=at(day(0), 9), end=at(day(0), 12)), approver=parent)
    query = f"?from={MON.isoformat()}&to={SUN.isoformat()}"
    pages = [reverse("pay:export", args=[family.pk]) + query, reverse("pay:period", args=[family.pk]) + query]
    one = [_queries(client, family, page) for page in pages]
    for n in range(4):
        extra = member(family, Role.PA, username=f"extra-pa-{n}")
        terms(family, extra)
        absence(family, extra, day(5))
        for d in range(5):
            worked(ShiftFactory(recipient=family, pa=extra, kind=["day", "sleep_in"][d % 2], start=at(day(d), 13 + n),
                                end=at(day(d), 14 + n)), approver=parent)
    many = [_queries(client, family, page) for page in pages]
    assert many == one
    assert max(one) <= 12  # session, user, permission, recipient; then timesheets, terms, absences, waiting, PAs

"""Regular-hours holiday: 5.6 weeks of the PA's working week, capped at 28 days, pro rata when the
employment starts part way through the leave year; shown as a running balance on the timesheets
page and earned period by period in the pay export. Figures worked by hand in the comments.

The leave year used, 1 April 2027 - 31 March 2028, has 366 days (it holds 29 February 2028), so a
start on 1 October 2027 leaves exactly 183 of them: half."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employment import services, wages
from employment.models import Terms
from rota.payroll import holiday_balances

from .factories import absence, terms

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2024, 4, 1)
YEAR_FIRST, YEAR_LAST = datetime.date(2027, 4, 1), datetime.date(2028, 3, 31)


@pytest.mark.parametrize("days_per_week, entitled", [
    (Decimal("5"), Decimal("28.00")),  # 5.6 x 5 = 28: exactly the cap
    (Decimal("3"), Decimal("16.80")),  # 5.6 x 3 = 16.8
    (Decimal("6"), Decimal("28.00")),  # 5.6 x 6 = 33.6, capped at 28
])
def test_a_leave_year_of_regular_hours_is_5_6_weeks_of_the_days_capped_at_28(family, pa, days_per_week, entitled):
    terms(family, pa, weekly_hours=Decimal("8") * days_per_week, days_per_week=days_per_week, leave_year_start=APRIL)
    [balance] = holiday_balances(family, datetime.date(2027, 6, 1))
    assert (balance.first, balance.last) == (YEAR_FIRST, YEAR_LAST)
    assert balance.earned_days == entitled
    # In hours, 28 of their 8-hour days at most: 5 days 224 h, 3 days 16.8 x 8 = 134.4 h, 6 days 224 h (not 268.8).
    assert balance.earned == entitled * 8


def test_a_start_half_way_through_the_leave_year_gets_half(family, pa):
    terms(family, pa, effective_from=datetime.date(2027, 10, 1), weekly_hours=Decimal("30"),
          days_per_week=Decimal("5"), leave_year_start=APRIL)
    absence(family, pa, datetime.date(2027, 12, 20), datetime.date(2027, 12, 24), hours=Decimal("30"))
    [balance] = holiday_balances(family, datetime.date(2027, 11, 1))
    # 183 of 366 days: 28 / 2 = 14 days; 168 h / 2 = 84 h; a 6-hour day, so 54 h left is 9 days.
    assert (balance.earned_days, balance.earned) == (Decimal("14.00"), Decimal("84.00"))
    assert (balance.taken, balance.left, balance.left_days) == (Decimal("30.00"), Decimal("54.00"), Decimal("9.00"))
    assert balance.started == datetime.date(2027, 10, 1)


def test_a_change_of_days_counts_from_its_date(family, pa):
    terms(family, pa, weekly_hours=Decimal("18"), days_per_week=Decimal("3"), leave_year_start=APRIL)
    terms(family, pa, effective_from=datetime.date(2027, 10, 1), weekly_hours=Decimal("30"),
          days_per_week=Decimal("5"), leave_year_start=APRIL)
    [balance] = holiday_balances(family, datetime.date(2027, 6, 1))
    # Half a year of 16.8 days (100.8 h) and half of 28 days (168 h): 8.4 + 14 = 22.4 days, 50.4 + 84 = 134.4 h.
    assert (balance.earned_days, balance.earned) == (Decimal("22.40"), Decimal("134.40"))


def test_the_yearly_figures_by_hand():
    assert wages.yearly_entitlement_days(5) == Decimal("28.00")
    assert wages.yearly_entitlement_days(3) == Decimal("16.80")
    assert wages.yearly_entitlement_days(6) == Decimal("28.00")
    assert wages.yearly_entitlement_hours(Decimal("48"), Decimal("6")) == Decimal("224.00")
    assert wages.yearly_entitlement_hours(Decimal("30")) == Decimal("168.00")  # days not recorded: no cap


def test_regular_terms_need_their_days_a_week_and_keep_them(family, parent, pa):
    today = timezone.localdate()
    given = {"effective_from": today, "hourly_rate": "13.50", "sleep_in_allowance": "85.00",
             "leave_year_start": APRIL, "contract": "regular", "weekly_hours": "30"}
    with pytest.raises(ValidationError, match="days worked a week"):
        services.set_terms(recipient=family, pa=pa, actor=parent, **given)
    with pytest.raises(ValidationError, match="at most 7"):
        services.set_terms(recipient=family, pa=pa, actor=parent, days_per_week="8", **given)
    with pytest.raises(ValidationError, match="More hours a week than there are"):
        services.set_terms(recipient=family, pa=pa, actor=parent, **{**given, "weekly_hours": "60"}, days_per_week="2")
    assert not Terms.objects.exists()
    saved = services.set_terms(recipient=family, pa=pa, actor=parent, days_per_week="3", **given)
    assert saved.days_per_week == Decimal("3.0")
    irregular = services.set_terms(recipient=family, pa=pa, actor=parent, days_per_week="3",
                                   **{**given, "contract": "irregular"})
    assert (irregular.weekly_hours, irregular.days_per_week) == (None, None)


def test_pa_and_budget_holder_see_the_balance_in_days_and_hours(client, family, parent, pa, pa2):
    terms(family, pa, weekly_hours=Decimal("18"), days_per_week=Decimal("3"), leave_year_start=APRIL)
    terms(family, pa2, contract="irregular")
    first, _last = wages.leave_year(APRIL, timezone.localdate())
    absence(family, pa, first + datetime.timedelta(days=10), hours=Decimal("6"))
    url = reverse("timesheets:list", args=[family.pk])
    # 5.6 x 3 = 16.8 days of 6 h = 100.8 h; 6 h taken leaves 94.8 h, 15.8 days.
    client.force_login(pa)
    body = client.get(url).content.decode()
    assert "Entitled to 16.80 days (100.80 h): 5.6 weeks of 3 days a week, 28 days at most" in body
    assert "94.80 h left (15.80 days)" in body and "12.07% of hours worked" not in body
    client.force_login(parent)
    body = client.get(url).content.decode()
    assert "Entitled to 16.80 days (100.80 h)" in body and "12.07% of hours worked" in body


def test_the_leave_page_shows_the_balance_where_the_pa_asks_for_leave(client, family, parent, pa, pa2):
    terms(family, pa, weekly_hours=Decimal("18"), days_per_week=Decimal("3"), leave_year_start=APRIL)
    terms(family, pa2, contract="irregular")
    url = reverse("employment:leave", args=[family.pk])
    client.force_login(pa)
    body = client.get(url).content.decode()
    assert "100.80 h left (16.80 days)" in body and "12.07% of hours worked" not in body  # only their own
    client.force_login(parent)
    body = client.get(url).content.decode()
    assert "100.80 h left (16.80 days)" in body and "12.07% of hours worked" in body


def test_the_pay_export_shows_the_regular_hours_earned_in_the_period(client, family, parent, pa):
    terms(family, pa, weekly_hours=Decimal("30"), days_per_week=Decimal("5"), leave_year_start=APRIL)
    absence(family, pa, datetime.date(2027, 4, 5), hours=Decimal("6"))
    client.force_login(parent)
    response = client.get(reverse("pay:export", args=[family.pk]), {"from": "2027-04-01", "to": "2027-04-30"})
    [row] = [r for r in csv.DictReader(io.StringIO(response.content.decode())) if r["pa_name"] != "TOTAL"]
    # 30 of the leave year's 366 days of 168 h: 168 x 30 / 366 = 13.77 h.
    assert (row["contract"], row["holiday_hours_taken"], row["holiday_hours_accrued"]) == ("regular", "6.00", "13.77")
    page = client.get(reverse("pay:period", args=[family.pk]), {"from": "2027-04-01", "to": "2027-04-30"})
    assert "13.77 h accrued" in page.content.decode()


def test_leave_left_empty_is_paid_in_the_pas_own_days(family, pa):
    terms(family, pa, weekly_hours=Decimal("18"), days_per_week=Decimal("3"), leave_year_start=APRIL)
    monday = timezone.localdate() + datetime.timedelta(days=14 - timezone.localdate().weekday())
    ask = dict(recipient=family, pa=pa, actor=pa)
    # One day: one of their 6-hour days (not a fifth of 18 h).
    one = services.request_leave(**ask, first_day=monday, last_day=monday)
    # Monday to Sunday of the next week: their whole week, 3 days x 6 h = 18 h (not 5 x 6 h).
    week = services.request_leave(**ask, first_day=monday + datetime.timedelta(days=7),
                                  last_day=monday + datetime.timedelta(days=13))
    assert (one.hours, week.hours) == (Decimal("6.00"), Decimal("18.00"))

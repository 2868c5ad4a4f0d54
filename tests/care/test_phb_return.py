"""The quarterly PHB return: counts against a caseload built by hand, its columns, who may ask,
and the quarters it refuses."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import PersonalHealthBudget, Role
from care.phb_return import COLUMNS, Quarter
from tests.factories import BudgetFactory, CareRecipientFactory, UserFactory, member

Q = "2026-Q1"  # 1 April – 30 June 2026
WY = "NHS West Yorkshire ICB"


def d(text):
    return datetime.date.fromisoformat(text)


def budget(recipient, **fields):
    fields.setdefault("period_start", d("2026-04-01"))
    fields.setdefault("period_end", d("2027-04-01"))
    return BudgetFactory(recipient=recipient, **fields)


@pytest.fixture
def caseload(coordinator, family):
    """Five budgets around 2026-Q1 in the coordinator's caseload, and one outside it."""
    def person(name, born):
        recipient = CareRecipientFactory(display_name=name, date_of_birth=d(born))
        member(recipient, Role.COORDINATOR, user=coordinator)
        return recipient

    # An adult with a budget since 2024, renewed each April: live, not new, counted once.
    ada = person("Ada Adult", "1980-01-01")
    budget(ada, started_on=d("2024-04-01"), period_start=d("2025-04-01"), period_end=d("2026-04-01"),
           commissioning_area=WY)
    budget(ada, started_on=d("2024-04-01"), commissioning_area=WY)
    # Turns 18 on 15 May 2026, a new integrated budget from 10 April: an adult at the quarter's end.
    ben = person("Ben Turning", "2008-05-15")
    budget(ben, kind="ipb", management_option="notional", continuing_care="children_cc",
           started_on=d("2026-04-10"), period_start=d("2026-04-10"), commissioning_area=WY)
    # A wheelchair budget that ended in the quarter: neither live nor new.
    cal = person("Cal Ended", "1990-06-01")
    budget(cal, kind="pwb", management_option="third_party", started_on=d("2025-01-01"),
           period_start=d("2025-04-01"), period_end=d("2026-04-01"))
    budget(cal, kind="pwb", management_option="third_party", started_on=d("2025-01-01"), ended_on=d("2026-05-31"))
    # A child whose mixed budget began on the quarter's last day: live and new.
    dee = person("Dee Child", "2015-09-09")
    budget(dee, management_option="mixed", direct_payment_share=Decimal("60"), notional_share=Decimal("40"),
           continuing_care="none", started_on=d("2026-06-30"), period_start=d("2026-06-30"))
    # Begins the day after the quarter: not counted.
    eve = person("Eve Later", "1970-01-01")
    budget(eve, started_on=d("2026-07-01"), period_start=d("2026-07-01"))
    # The coordinator's first family: a budget whose last period ran out before the quarter.
    budget(family, started_on=d("2024-04-01"), period_start=d("2025-04-01"), period_end=d("2026-04-01"))
    # Someone else's caseload: an adult CHC budget staff count and this coordinator does not.
    fay = CareRecipientFactory(display_name="Fay Elsewhere", date_of_birth=d("1950-01-01"))
    member(fay, Role.COORDINATOR, username="other-coordinator")
    budget(fay, continuing_care="adult_chc", started_on=d("2026-05-01"), period_start=d("2026-05-01"))


def rows_of(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.reader(io.StringIO(response.content.decode()))
    header = next(reader)
    assert header == COLUMNS
    return {row[3]: dict(zip(header, row)) for row in reader}


def test_the_return_counts_live_new_and_ended_budgets_by_kind_option_age_and_continuing_care(
        client, coordinator, caseload):
    client.force_login(coordinator)
    rows = rows_of(client.get(reverse("phb_return_csv"), {"quarter": Q}))
    assert list(rows) == [WY, "Not recorded", "All areas"]
    total = {k: v for k, v in rows["All areas"].items() if k.startswith(("live_", "new_", "ended"))}
    assert total == {
        # live on 30 June: Ada, Ben and Dee (Cal ended on 31 May, Eve starts in July)
        "live_total": "3", "live_phb": "2", "live_ipb": "1", "live_pwb": "0",
        "live_direct_payment": "1", "live_third_party": "0", "live_notional": "1", "live_mixed": "1",
        "live_adults": "2", "live_children": "1", "live_adult_chc": "0", "live_children_cc": "1",
        # new in the quarter: Ben (18 by its end, so an adult) and Dee
        "new_total": "2", "new_phb": "1", "new_ipb": "1", "new_pwb": "0",
        "new_direct_payment": "0", "new_third_party": "0", "new_notional": "1", "new_mixed": "1",
        "new_adults": "1", "new_children": "1", "new_adult_chc": "0", "new_children_cc": "1",
        "ended_in_quarter": "1",
    }
    assert (rows[WY]["live_total"], rows[WY]["new_total"], rows[WY]["ended_in_quarter"]) == ("2", "1", "0")
    assert rows["All areas"]["quarter_start"] == "2026-04-01" and rows["All areas"]["quarter_end"] == "2026-06-30"


def test_a_child_who_turns_18_after_the_quarter_ends_is_counted_a_child(client, coordinator, caseload):
    client.force_login(coordinator)
    # Age is taken on the quarter's last day, not on the day the return is made (he is 18 now).
    ben = PersonalHealthBudget.objects.get(recipient__display_name="Ben Turning")
    ben.recipient.date_of_birth = d("2008-07-01")
    ben.recipient.save()
    total = rows_of(client.get(reverse("phb_return_csv"), {"quarter": Q}))["All areas"]
    assert (total["live_adults"], total["live_children"]) == ("1", "2")


def test_staff_count_every_family_and_a_coordinator_only_their_caseload(client, coordinator, caseload):
    client.force_login(coordinator)
    assert rows_of(client.get(reverse("phb_return_csv"), {"quarter": Q}))["All areas"]["live_adult_chc"] == "0"
    client.force_login(UserFactory(username="staff", is_staff=True))
    total = rows_of(client.get(reverse("phb_return_csv"), {"quarter": Q}))["All areas"]
    assert (total["live_total"], total["live_adult_chc"], total["new_total"]) == ("4", "1", "3")


def test_the_return_is_for_coordinators_and_staff_only(client, parent, pa, outsider, coordinator, caseload):
    for user in (parent, pa, outsider):
        client.force_login(user)
        assert client.get(reverse("phb_return_csv"), {"quarter": Q}).status_code == 403
        assert client.get(reverse("phb_return"), {"quarter": Q}).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("phb_return_csv"), {"quarter": Q}).status_code == 200
    client.logout()
    assert client.get(reverse("phb_return_csv"), {"quarter": Q}).status_code == 302


def test_the_return_only_answers_get(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("phb_return_csv") + f"?quarter={Q}").status_code == 405


@pytest.mark.parametrize("asked, message", [
    ("2026-Q5", "Give the quarter as YYYY-Qn"),
    ("Q1 2026", "Give the quarter as YYYY-Qn"),
    ("1999-Q4", "There is no return before 2000"),
    ("2999-Q1", "has not ended yet"),
    ("", "Give the quarter as YYYY-Qn"),
])
def test_a_quarter_that_does_not_exist_or_has_not_ended_is_refused_with_a_message(client, coordinator, asked, message):
    client.force_login(coordinator)
    response = client.get(reverse("phb_return_csv"), {"quarter": asked})
    assert response.status_code == 400 and message in response.content.decode()
    response = client.get(reverse("phb_return"), {"quarter": asked or "x"})
    assert response.status_code == 400 and message in response.content.decode()


def test_the_quarter_in_progress_is_refused_until_it_ends(client, coordinator):
    client.force_login(coordinator)
    current = Quarter.containing(timezone.localdate())
    response = client.get(reverse("phb_return_csv"), {"quarter": str(current)})
    nextday = current.end + datetime.timedelta(days=1)
    assert response.status_code == 400
    assert f"can be made from {nextday.day} {nextday:%B %Y}" in response.content.decode()
    assert client.get(reverse("phb_return_csv")).status_code == 400  # no quarter named


@pytest.mark.parametrize("text, start, end", [
    ("2026-Q1", "2026-04-01", "2026-06-30"), ("2026-Q2", "2026-07-01", "2026-09-30"),
    ("2026-Q3", "2026-10-01", "2026-12-31"), ("2026-Q4", "2027-01-01", "2027-03-31"),
])
def test_quarters_follow_the_financial_year(text, start, end):
    year, number = text.split("-Q")
    quarter = Quarter(int(year), int(number))
    assert (quarter.start.isoformat(), quarter.end.isoformat(), str(quarter)) == (start, end, text)
    assert Quarter.containing(quarter.start) == quarter == Quarter.containing(quarter.end)


def test_the_printable_page_shows_the_counts_and_the_budgets_to_check(client, coordinator, caseload):
    PersonalHealthBudget.objects.filter(recipient__display_name="Ada Adult").update(guessed=["kind"])
    client.force_login(coordinator)
    response = client.get(reverse("phb_return"), {"quarter": Q})
    body = response.content.decode()
    assert response.status_code == 200 and "1 April 2026 – 30 June 2026" in body
    assert "Integrated personal budget" in body and WY in body
    assert "Check 1 budget" in body and "Ada Adult" in body
    # with no quarter named, the page shows the last one that has ended
    last = Quarter.containing(timezone.localdate()).previous()
    assert f"Quarterly PHB return: {last}" in client.get(reverse("phb_return")).content.decode()

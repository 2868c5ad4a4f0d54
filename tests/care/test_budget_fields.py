"""What the national collection needs on a budget: its kind, how it is managed (a mix's shares add
to 100%), continuing-care eligibility and commissioning area; budgets from before are marked guessed."""
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from care.models import PersonalHealthBudget
from tests.care.test_caseload import family_form, nothing_saved


def test_a_family_is_set_up_with_a_mix_and_its_shares(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("family_create"), family_form(
        kind="pwb", management_option="mixed", direct_payment_share="25", notional_share="75",
        continuing_care="children_cc", commissioning_area="NHS Humber and North Yorkshire ICB"))
    assert response.status_code == 302
    budget = PersonalHealthBudget.objects.get(amount=40000)
    assert (budget.kind, budget.continuing_care, budget.commissioning_area) == (
        "pwb", "children_cc", "NHS Humber and North Yorkshire ICB")
    assert budget.shares == {"direct_payment": Decimal("25"), "notional": Decimal("75")}
    assert budget.started_on == budget.period_start and budget.guessed == []


@pytest.mark.parametrize("shares, message", [
    ({"direct_payment_share": "50", "notional_share": "40"}, "must add up to 100%; these add up to 90%"),
    ({"direct_payment_share": "100"}, "A mix uses at least two ways"),
    ({}, "these add up to 0%"),
])
def test_a_mix_whose_shares_do_not_add_to_100_is_refused_and_nothing_saved(client, coordinator, shares, message):
    client.force_login(coordinator)
    response = client.post(reverse("family_create"), family_form(management_option="mixed", **shares))
    assert response.status_code == 200 and message in response.content.decode()
    assert nothing_saved()


def test_a_single_option_is_the_whole_budget_whatever_shares_were_typed(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("family_create"), family_form(management_option="notional", direct_payment_share="30"))
    assert PersonalHealthBudget.objects.get(amount=40000).shares == {"notional": Decimal("100")}


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_fills_existing_budgets_and_names_what_it_guessed(capsys):
    executor = MigrationExecutor(connection)
    executor.migrate([("care", "0004_audit_actor_name")])
    old = executor.loader.project_state([("care", "0004_audit_actor_name")]).apps
    Recipient, Budget = old.get_model("care", "CareRecipient"), old.get_model("care", "PersonalHealthBudget")
    person = Recipient.objects.create(display_name="Old Family", date_of_birth="1990-01-01", nhs_number="9434765919")
    Budget.objects.create(recipient=person, management_option="third_party", period_start="2024-04-01",
                          period_end="2025-04-01", amount=100)
    Budget.objects.create(recipient=person, management_option="mixed", period_start="2025-04-01",
                          period_end="2026-04-01", amount=100)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("care", "0005_budget_return_fields")])
        single, mix = PersonalHealthBudget.objects.order_by("period_start")
        assert single.shares == {"third_party": Decimal("100")}
        assert single.guessed == ["kind", "started_on", "continuing_care", "commissioning_area"]
        assert mix.guessed[-1] == "shares" and sum(mix.shares.values()) == 100
        assert single.started_on == mix.started_on == single.period_start  # the earliest period on record
        assert "2 existing budget(s)" in capsys.readouterr().out
    finally:
        call_command("migrate", verbosity=0)

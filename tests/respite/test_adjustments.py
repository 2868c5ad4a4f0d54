"""A coordinator's adjustment is a new entry with a reason, never an edit; it keeps the ledger's rules."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from respite import services
from respite.models import Entry, EntryKind
from tests.factories import log_in_with_second_factor


def test_an_addition_is_a_new_lot_with_the_coordinators_name_and_reason(client, coordinator, carer, funded_account):
    account = funded_account(carer)
    log_in_with_second_factor(client, coordinator)
    response = client.post(reverse("respite:adjust", args=[account.pk]),
                           {"hours": "3.5", "reason": "Extra hours agreed at the carer's review"})
    assert response.status_code == 302
    entry = account.entries.get(kind=EntryKind.ADJUSTMENT)
    assert (entry.hours, entry.actor, entry.reason) == (Decimal("3.50"), coordinator, "Extra hours agreed at the carer's review")
    assert entry.lot.expires_on is not None
    assert account.balance() == Decimal("11.50")
    page = client.get(reverse("respite:account", args=[account.pk])).content.decode()
    assert "Extra hours agreed at the carer&#x27;s review" in page and "by " in page


def test_a_reason_is_required_and_nothing_is_saved_without_one(coordinator, carer, funded_account):
    account = funded_account(carer)
    with pytest.raises(ValidationError, match="Say why"):
        services.adjust_hours(account=account, hours=Decimal("2"), reason="  ", actor=coordinator)
    assert account.entries.count() == 1


def test_a_deduction_cannot_take_more_than_the_balance(client, coordinator, carer, funded_account):
    account = funded_account(carer)
    log_in_with_second_factor(client, coordinator)
    response = client.post(reverse("respite:adjust", args=[account.pk]), {"hours": "-9", "reason": "Correction"})
    assert response.status_code == 400
    assert "Only 8 hours are in the bank; cannot take 9 hours." in response.content.decode()
    assert account.entries.count() == 1
    client.post(reverse("respite:adjust", args=[account.pk]), {"hours": "-8", "reason": "Correction"})
    assert account.balance() == 0


def test_an_addition_cannot_break_the_cap(coordinator, carer, funded_account):
    account = funded_account(carer, cap_hours=Decimal("10"))
    with pytest.raises(ValidationError, match="above the 10 hours cap"):
        services.adjust_hours(account=account, hours=Decimal("3"), reason="Goodwill", actor=coordinator)
    assert account.balance() == Decimal("8.00")


def test_ledger_rows_cannot_be_changed_or_deleted(carer, funded_account):
    account = funded_account(carer)
    entry = Entry.objects.get(account=account)
    entry.hours = Decimal("100")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    with pytest.raises(ValueError, match="append-only"):
        entry.lot.delete()


def test_a_coordinator_without_a_second_factor_is_asked_for_it_and_nothing_changes(client, coordinator, carer,
                                                                                     funded_account):
    account = funded_account(carer)
    before = account.balance()
    client.force_login(coordinator)  # password only
    url = reverse("respite:adjust", args=[account.pk])
    page = client.get(url)
    assert page.status_code == 302 and page.url.startswith(reverse("two-factor"))
    response = client.post(url, {"hours": "3", "reason": "Extra hours agreed"}, HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor"))
    assert account.balance() == before and not account.entries.filter(kind=EntryKind.ADJUSTMENT).exists()

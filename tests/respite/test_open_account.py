"""The coordinator opens a carer's account with its terms; bad terms are refused with nothing saved."""
import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from care.models import AuditEvent
from respite.models import EntryKind, RespiteAccount
from tests.factories import log_in_with_second_factor
from tests.respite.factories import assessment_for


def terms(carer, **changes):
    data = {"carer": carer.pk, "assessment": assessment_for(carer).pk, "allowance_hours": "8", "period_length": "4",
            "period_unit": "week",
            "periods_start_on": timezone.localdate().isoformat(), "cap_hours": "40", "carry_over_hours": "24",
            "expiry_months": "12"}
    return {**data, **changes}


def test_the_coordinator_opens_an_account_and_the_first_period_is_credited(client, family, carer, coordinator):
    log_in_with_second_factor(client, coordinator)
    response = client.post(reverse("respite:person", args=[family.pk]), terms(carer))
    account = RespiteAccount.objects.get()
    assert response["Location"] == reverse("respite:account", args=[account.pk])
    assert (account.allowance_hours, account.cap_hours, account.carry_over_hours) == (
        Decimal("8.00"), Decimal("40.00"), Decimal("24.00"))
    assert account.opened_by == coordinator
    assert account.entries.get().kind == EntryKind.CREDIT and account.balance() == Decimal("8.00")
    assert AuditEvent.objects.filter(action="respite.account_opened", recipient=family).exists()


def test_periods_begun_before_opening_are_credited_at_once(client, family, carer, coordinator):
    log_in_with_second_factor(client, coordinator)
    start = timezone.localdate() - datetime.timedelta(weeks=8)
    client.post(reverse("respite:person", args=[family.pk]), terms(carer, periods_start_on=start.isoformat(),
                                                                    cap_hours="", carry_over_hours=""))
    assert RespiteAccount.objects.get().balance() == Decimal("24.00")  # three periods: -8, -4 and 0 weeks


def test_bad_terms_are_refused_with_reasons_and_nothing_saved(client, family, carer, pa, coordinator):
    log_in_with_second_factor(client, coordinator)
    url = reverse("respite:person", args=[family.pk])
    response = client.post(url, terms(carer, cap_hours="4"))
    assert response.status_code == 400
    assert "The cap cannot be less than one period&#x27;s allowance." in response.content.decode()
    response = client.post(url, terms(pa))  # a PA is not one of the circle's carers
    assert response.status_code == 400
    too_early = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    response = client.post(url, terms(carer, periods_start_on=too_early))
    assert "The first period starts at most a year ago." in response.content.decode()
    assert not RespiteAccount.objects.exists()


def test_a_carer_has_one_account_per_person(client, family, carer, coordinator):
    log_in_with_second_factor(client, coordinator)
    url = reverse("respite:person", args=[family.pk])
    client.post(url, terms(carer))
    response = client.post(url, terms(carer))
    assert response.status_code == 400 and "already has a respite account" in response.content.decode()
    assert RespiteAccount.objects.count() == 1

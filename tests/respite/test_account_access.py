"""Only the carer, the person's budget holder and coordinator see a respite account; anyone else
gets a 404 (an account is the carer's own business). Inside, the wrong role gets a 403, and a
wrong method a 405."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from respite import services
from respite.models import BookingStatus, RespiteAccount
from tests.factories import member, log_in_with_second_factor
from tests.respite.factories import assessment_for
from care.models import Role


@pytest.fixture
def grandparents_account(carer, funded_account):
    return funded_account(carer)


@pytest.fixture
def booking(grandparents_account, carer):
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=3),
                                                          datetime.time(10)))
    return services.book_respite(account=grandparents_account, start=start, end=start + datetime.timedelta(hours=2),
                                 actor=carer)


def status(client, user, url, method="get", data=None):
    # with the second factor entered, so every refusal here is about who they are
    log_in_with_second_factor(client, user)
    return getattr(client, method)(url, data or {}).status_code


def test_the_carer_the_budget_holder_and_the_coordinator_see_the_account(
    client, grandparents_account, carer, parent, coordinator
):
    url = reverse("respite:account", args=[grandparents_account.pk])
    for user in (carer, parent, coordinator):
        assert status(client, user, url) == 200, user


def test_a_pa_a_clinician_another_family_and_an_outsider_get_404(
    client, grandparents_account, pa, nurse, other_parent, outsider, carer
):
    url = reverse("respite:account", args=[grandparents_account.pk])
    for user in (pa, nurse, other_parent, outsider):
        assert status(client, user, url) == 404, user
    assert status(client, carer, url) == 200  # the refusal was about who asked, not the page


def test_one_carer_cannot_see_another_carers_account(client, family, carer, funded_account):
    other_carer = member(family, Role.CARER, username="aunt")
    account = funded_account(other_carer)
    assert status(client, carer, reverse("respite:account", args=[account.pk])) == 404
    assert status(client, other_carer, reverse("respite:account", args=[account.pk])) == 200


def test_anonymous_visitors_are_sent_to_log_in(client, grandparents_account):
    response = client.get(reverse("respite:account", args=[grandparents_account.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_person_page_lists_what_each_may_see(client, family, parent, carer, coordinator, pa, funded_account):
    mine, theirs = funded_account(parent), funded_account(carer)
    url = reverse("respite:person", args=[family.pk])
    client.force_login(carer)
    accounts = list(client.get(url).context["accounts"])
    assert accounts == [theirs]
    for user in (parent, coordinator):
        client.force_login(user)
        assert set(client.get(url).context["accounts"]) == {mine, theirs}
    assert status(client, pa, url) == 403


def test_the_person_page_is_404_outside_the_circle(client, family, other_parent, outsider):
    url = reverse("respite:person", args=[family.pk])
    assert status(client, other_parent, url) == 404
    assert status(client, outsider, url) == 404


def test_the_index_lists_only_accounts_one_may_see(client, family, other_family, parent, carer, other_parent,
                                                   pa, funded_account):
    mine, theirs = funded_account(parent), funded_account(carer)
    from tests.respite.factories import RespiteAccountFactory

    elsewhere = RespiteAccountFactory(recipient=other_family, carer=other_parent)
    client.force_login(carer)
    assert list(client.get(reverse("respite:index")).context["accounts"]) == [theirs]
    client.force_login(parent)
    assert set(client.get(reverse("respite:index")).context["accounts"]) == {mine, theirs}
    client.force_login(pa)
    assert list(client.get(reverse("respite:index")).context["accounts"]) == []
    client.force_login(other_parent)
    assert list(client.get(reverse("respite:index")).context["accounts"]) == [elsewhere]


def test_only_the_coordinator_adjusts(client, grandparents_account, carer, parent, coordinator, pa):
    url = reverse("respite:adjust", args=[grandparents_account.pk])
    data = {"hours": "2", "reason": "Extra hours agreed at review"}
    assert status(client, pa, url, "post", data) == 404
    for user in (carer, parent):
        assert status(client, user, url) == 403
        assert status(client, user, url, "post", data) == 403
    assert grandparents_account.balance() == 8
    assert status(client, coordinator, url, "post", data) == 302
    assert grandparents_account.balance() == 10


def test_only_the_coordinator_opens_accounts(client, family, carer, parent, coordinator):
    url = reverse("respite:person", args=[family.pk])
    data = {"carer": carer.pk, "assessment": assessment_for(carer).pk, "allowance_hours": "8", "period_length": "4",
            "period_unit": "week",
            "periods_start_on": timezone.localdate().isoformat(), "expiry_months": "12"}
    assert status(client, parent, url, "post", data) == 403
    assert not RespiteAccount.objects.exists()
    assert status(client, coordinator, url, "post", data) == 302
    assert RespiteAccount.objects.get().carer == carer


@pytest.mark.parametrize("action", ["approve", "decline", "cancel"])
def test_booking_actions_reject_get(client, booking, parent, action):
    assert status(client, parent, reverse(f"respite:{action}", args=[booking.pk])) == 405


def test_cancelling_checks_who_asks(client, booking, pa, coordinator, carer, other_parent):
    url = reverse("respite:cancel", args=[booking.pk])
    assert status(client, pa, url, "post") == 404
    assert status(client, other_parent, url, "post") == 404
    assert status(client, coordinator, url, "post") == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_APPROVAL
    assert status(client, carer, url, "post", {"reason": "Feeling better"}) == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Feeling better"


def test_approving_checks_who_asks(client, booking, pa, other_parent, carer, parent):
    url = reverse("respite:approve", args=[booking.pk])
    assert status(client, pa, url, "post") == 404
    assert status(client, other_parent, url, "post") == 404
    assert status(client, carer, url, "post") == 403
    assert status(client, parent, url, "post") == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED

"""Staff opening a person's record is written down wherever they open it: the texts page and the
admin's pages of the person and of their records (the change page shows NHS number and address)."""
from django.urls import reverse

from care.audit import STAFF_VIEW
from care.models import AuditEvent, Membership
from tests.factories import BudgetFactory
from tests.notifications.factories import MessageFactory


def views_of(recipient, user=None):
    events = AuditEvent.objects.filter(recipient=recipient, action=STAFF_VIEW)
    return events.filter(actor=user) if user else events


def test_a_coordinator_opening_the_texts_page_is_recorded_and_the_family_is_not(client, family, parent,
                                                                                coordinator):
    MessageFactory(recipient=family)
    client.force_login(parent)
    assert client.get(reverse("circle_messages", args=[family.pk])).status_code == 200
    assert not views_of(family).exists()
    client.force_login(coordinator)
    assert client.get(reverse("circle_messages", args=[family.pk])).status_code == 200
    assert list(views_of(family, coordinator).values_list("summary", flat=True)) == ["Texts"]


def test_the_admin_change_and_history_pages_of_a_person_are_recorded(admin_client, admin_user, family,
                                                                     other_family):
    assert admin_client.get(reverse("admin:care_carerecipient_change", args=[family.pk])).status_code == 200
    assert admin_client.get(reverse("admin:care_carerecipient_history", args=[family.pk])).status_code == 200
    assert views_of(family, admin_user).count() == 2
    assert not views_of(other_family).exists()


def test_the_admin_list_of_people_records_each_person_shown(admin_client, admin_user, family, other_family):
    assert admin_client.get(reverse("admin:care_carerecipient_changelist")).status_code == 200
    assert views_of(family, admin_user).count() == 1 and views_of(other_family, admin_user).count() == 1


def test_the_admin_pages_of_a_persons_records_are_recorded(admin_client, admin_user, family, pa):
    budget = BudgetFactory(recipient=family)
    membership = Membership.objects.get(user=pa, recipient=family)
    for url in (reverse("admin:care_personalhealthbudget_change", args=[budget.pk]),
                reverse("admin:care_membership_change", args=[membership.pk])):
        assert admin_client.get(url).status_code == 200
    assert views_of(family, admin_user).count() == 2


def test_a_refused_or_posted_admin_page_is_not_a_view(admin_client, admin_user, family):
    admin_client.post(reverse("admin:care_carerecipient_change", args=[family.pk]), {})
    assert not views_of(family).exists()

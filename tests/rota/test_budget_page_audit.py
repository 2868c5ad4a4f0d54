"""A coordinator opening a family's budget page is a staff view of the person's record, recorded
like the person page; the family looking at its own budget is not."""
from django.urls import reverse

from care.audit import STAFF_VIEW
from care.models import AuditEvent
from tests.factories import BudgetFactory


def test_a_coordinator_opening_the_budget_page_is_recorded(client, family, parent, coordinator):
    BudgetFactory(recipient=family)
    client.force_login(coordinator)
    assert client.get(reverse("rota:budget", args=[family.pk])).status_code == 200
    event = AuditEvent.objects.get(action=STAFF_VIEW, recipient=family)
    assert event.actor == coordinator and event.summary == "Budget"


def test_the_budget_holder_opening_their_own_budget_is_not_a_staff_view(client, family, parent):
    BudgetFactory(recipient=family)
    client.force_login(parent)
    assert client.get(reverse("rota:budget", args=[family.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action=STAFF_VIEW).exists()

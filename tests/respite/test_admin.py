"""The respite admin is for looking only: ledger rows are written by services, never by hand."""
import pytest
from django.urls import reverse

from tests.factories import UserFactory

MODELS = ["respiteaccount", "entry", "lot", "respitebooking", "bookingdecision", "expiryreminder"]


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_lists_but_cannot_add(admin_client, carer, funded_account, model):
    funded_account(carer)
    assert admin_client.get(reverse(f"admin:respite_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:respite_{model}_add")).status_code == 403

"""The clinician's inbox: the steps they may take, in one query however many there are."""
import pytest
from django.urls import reverse

from care.models import Role
from tests.factories import CareRecipientFactory, member
from workflows.delegation.driving import start_delegation

from .steps import catalogue

pytestmark = pytest.mark.django_db


def _requests(nurse, families):
    for recipient in families:
        parent = member(recipient, Role.BUDGET_HOLDER)
        pa = member(recipient, Role.PA)
        member(recipient, Role.CLINICIAN, user=nurse)
        for code in ("nebuliser", "oxygen-therapy"):
            start_delegation(actor=parent, recipient=recipient, pa=pa, healthcare_task=catalogue(code), reason="r")


def test_inbox_lists_only_steps_the_user_may_take(client, family, parent, pa, nurse, other_parent, other_pa):
    start_delegation(actor=parent, recipient=family, pa=pa, healthcare_task=catalogue("nebuliser"), reason="r")
    start_delegation(actor=other_parent, recipient=other_parent.memberships.first().recipient, pa=other_pa,
                              healthcare_task=catalogue("nebuliser"), reason="r")
    client.force_login(nurse)
    page = client.get(reverse("workflows:inbox")).content.decode()
    assert page.count("Clinical risk assessment") == 1 and family.display_name in page
    client.force_login(pa)
    assert "Clinical risk assessment" not in client.get(reverse("workflows:inbox")).content.decode()


def test_inbox_queries_stay_flat_as_rows_grow(client, nurse, family, django_assert_max_num_queries):
    client.force_login(nurse)
    _requests(nurse, [family])
    url = reverse("workflows:inbox")
    # session, user, then the tasks with their process, person, PA and task in one query
    with django_assert_max_num_queries(4) as small:
        assert client.get(url).content.decode().count("Clinical risk assessment") == 2
    _requests(nurse, [CareRecipientFactory() for _ in range(6)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count("Clinical risk assessment") == 14

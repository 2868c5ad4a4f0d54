"""The delegation page shows everyone in the circle the competency's status, and links to the
detailed record only for those who may open it (its PA, clinicians, budget holder, coordinator)."""
from django.urls import reverse

from care.models import Role
from tests.factories import member

from .steps import catalogue, signed_off_delegation


def test_only_who_may_read_the_record_gets_the_link(client, family, parent, nurse, pa):
    other_pa = member(family, Role.PA, username="pa-two")
    process = signed_off_delegation(parent=parent, nurse=nurse, pa=pa, recipient=family,
                                    task=catalogue("tracheostomy-suction"))
    page = reverse("workflows:delegation:process_detail", args=[process.pk])
    record = reverse("competencies:detail", args=[process.competency.pk])
    for user, linked in [(pa, True), (nurse, True), (parent, True), (other_pa, False)]:
        client.force_login(user)
        body = client.get(page).content.decode()
        assert f"C{process.competency.pk}" in body
        assert (record in body) is linked, user.username

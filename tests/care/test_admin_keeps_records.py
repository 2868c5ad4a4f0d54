"""The Django admin cannot erase what the product promises to keep: memberships (ended, never
deleted), people, users (deactivated), flow history and audit rows; and a membership removed by
any path takes its permissions with it."""
import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from care.models import AuditEvent, Membership, Role
from care.permissions import can
from care.services import record_audit
from tests.factories import member
from workflows.hospital import driving as hospital


def delete_page(model, obj):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def refuses_delete(admin_client, model, obj):
    """No delete page, no bulk delete action, and posting the action anyway deletes nothing."""
    assert admin_client.get(delete_page(model, obj)).status_code == 403
    assert admin_client.post(delete_page(model, obj), {"post": "yes"}).status_code == 403
    listing = admin_client.get(changelist(model))
    assert listing.status_code == 200 and "delete_selected" not in listing.content.decode()
    admin_client.post(changelist(model), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert model._default_manager.filter(pk=obj.pk).exists()
    return True


def test_the_admin_cannot_delete_a_membership_or_the_person(admin_client, family, pa):
    membership = Membership.objects.get(user=pa, recipient=family)
    assert refuses_delete(admin_client, Membership, membership)
    assert refuses_delete(admin_client, type(family), family)
    person = admin_client.get(reverse("admin:care_carerecipient_change", args=[family.pk])).content.decode()
    assert "memberships-0-DELETE" not in person  # nor through the person's page


def test_the_admin_cannot_delete_a_user(admin_client, parent):
    assert refuses_delete(admin_client, type(parent), parent)


def test_the_admin_cannot_delete_flow_history(admin_client, family, parent, pa):
    agreement = hospital.start_as(
        actor=parent, recipient=family, hospital="St Example's", ward="Ward 7", ward_contact_name="Ada Lane",
        ward_contact_mobile="+447700900555", admission_date=timezone.localdate(),
        expected_discharge=timezone.localdate() + datetime.timedelta(days=3), pas=[pa], support=["communication"],
    )
    process = Process.objects.get(pk=agreement.pk)
    task = Task.objects.filter(process=process).order_by("pk").first()
    assert refuses_delete(admin_client, Task, task)
    assert refuses_delete(admin_client, Process, process)


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_a_membership_deleted_through_the_orm_takes_its_permissions(client, family, parent, pa, how):
    page = reverse("recipient", args=[family.pk])
    client.force_login(pa)
    assert client.get(page).status_code == 200
    memberships = Membership.objects.filter(user=pa, recipient=family)
    memberships.get().delete() if how == "instance" else memberships.delete()
    assert not can(type(pa).objects.get(pk=pa.pk), "view_circle", family)
    assert client.get(page).status_code == 404
    client.force_login(parent)  # the 404 is about pa's place, not the page
    assert client.get(page).status_code == 200


def test_deleting_one_of_two_roles_keeps_the_other_roles_permissions(family, parent):
    Membership.objects.filter(user=parent, recipient=family, role=Role.CARER).delete()
    assert can(type(parent).objects.get(pk=parent.pk), "view_budget", family)  # still the budget holder


def test_an_audit_row_keeps_the_name_of_who_acted(family, parent):
    event = record_audit(actor=parent, recipient=family, action="test.done", summary="Something happened")
    assert AuditEvent.objects.get(pk=event.pk).actor_name == parent.get_full_name()


def test_a_user_with_audit_rows_cannot_be_deleted(family, parent):
    record_audit(actor=parent, recipient=family, action="test.done", summary="Something happened")
    with pytest.raises(ProtectedError):
        parent.delete()
    assert AuditEvent.objects.filter(actor=parent).exists()


def test_a_user_without_audit_rows_is_still_refused_in_the_admin_and_deactivated_instead(admin_client, family):
    someone = member(family, Role.CARER, username="someone")
    assert admin_client.get(delete_page(type(someone), someone)).status_code == 403

from django.urls import reverse

from care.models import Membership, Role
from care.services import end_due_memberships, end_membership


def test_ending_a_pas_membership_removes_access_on_the_next_request(client, family, parent, pa):
    client.force_login(pa)
    url = reverse("recipient", args=[family.pk])
    assert client.get(url).status_code == 200

    membership = Membership.objects.get(user=pa, recipient=family, role=Role.PA)
    end_membership(membership=membership, actor=parent, reason="Moved away")

    assert client.get(url).status_code == 404
    assert family.display_name not in client.get(reverse("home")).content.decode()


def test_a_membership_ending_in_future_keeps_access_until_that_date(client, family, parent, pa, settings):
    import datetime

    from django.utils import timezone

    membership = Membership.objects.get(user=pa, recipient=family, role=Role.PA)
    end_membership(membership=membership, actor=parent, ended_on=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(pa)
    assert client.get(reverse("recipient", args=[family.pk])).status_code == 200
    assert end_due_memberships() == 0


def test_periodic_end_of_memberships_runs_once(family, parent, pa):
    import datetime

    from django.utils import timezone

    membership = Membership.objects.get(user=pa, recipient=family, role=Role.PA)
    Membership.objects.filter(pk=membership.pk).update(ended_on=timezone.localdate() - datetime.timedelta(days=0))
    assert end_due_memberships() == 1
    assert end_due_memberships() == 0
    assert not pa.has_perm("care.view_circle", family)


def test_another_role_in_the_same_circle_keeps_its_access(client, family, parent):
    carer_membership = Membership.objects.get(user=parent, recipient=family, role=Role.CARER)
    end_membership(membership=carer_membership, actor=parent, reason="Now budget holder only")
    client.force_login(parent)
    assert client.get(reverse("recipient", args=[family.pk])).status_code == 200
    assert parent.has_perm("care.use_respite", family)  # budget holders keep respite use


def test_person_page_is_404_outside_the_circle_and_200_inside(client, family, pa, other_pa):
    url = reverse("recipient", args=[family.pk])
    client.force_login(other_pa)
    assert client.get(url).status_code == 404
    client.force_login(pa)
    assert client.get(url).status_code == 200


def test_unknown_recipient_is_404(client, pa):
    client.force_login(pa)
    assert client.get(reverse("recipient", args=[999999])).status_code == 404

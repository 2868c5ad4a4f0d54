"""The texts sent to a circle, for its budget holder and coordinator."""
import pytest
from django.urls import reverse

from notifications.models import Message, Status
from tests.notifications.factories import MessageFactory


def url(recipient):
    return reverse("circle_messages", args=[recipient.pk])


def test_the_budget_holder_sees_the_circles_texts_with_their_status(client, family, parent, pa):
    MessageFactory(recipient=family, user=pa, body="paworkflow: shift 4821 is offered. Reply YES 4821.",
                   status=Status.DELIVERED)
    MessageFactory(recipient=family, user=pa, body="paworkflow: shift 4822 is offered. Reply YES 4822.",
                   status=Status.UNDELIVERED, last_error="Twilio reported error 30003")
    client.force_login(parent)
    response = client.get(url(family))
    assert response.status_code == 200
    body = response.content.decode()
    assert "shift 4821" in body and "Delivered" in body
    assert "shift 4822" in body and "Not delivered" in body and "30003" in body
    assert pa.get_full_name() in body


def test_the_coordinator_sees_them_too(client, family, coordinator):
    MessageFactory(recipient=family, body="paworkflow: training review due (ref T-1).")
    client.force_login(coordinator)
    assert "ref T-1" in client.get(url(family)).content.decode()


def test_another_familys_texts_are_not_listed(client, family, other_family, parent):
    MessageFactory(recipient=other_family, body="paworkflow: shift 9999 is offered. Reply YES 9999.")
    client.force_login(parent)
    assert "9999" not in client.get(url(family)).content.decode()


@pytest.mark.parametrize("who", ["pa", "carer", "nurse"])
def test_circle_members_without_budget_or_management_rights_get_403(client, family, parent, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(url(family)).status_code == 403
    client.force_login(parent)  # the same request from someone allowed succeeds: the 403 was about the right
    assert client.get(url(family)).status_code == 200


def test_outside_the_circle_it_is_404(client, family, parent, other_parent, outsider):
    for user in (other_parent, outsider):
        client.force_login(user)
        assert client.get(url(family)).status_code == 404
    client.force_login(parent)
    assert client.get(url(family)).status_code == 200


def test_its_address_is_the_one_it_had_under_notifications(family):
    assert url(family) == f"/notifications/{family.pk}/messages/"  # links people saved keep working


def test_it_needs_login(client, family):
    response = client.get(url(family))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_rejects_post(client, family, parent):
    client.force_login(parent)
    assert client.post(url(family)).status_code == 405


def test_it_is_paginated_newest_first(client, family, parent):
    for n in range(30):
        MessageFactory(recipient=family, body=f"paworkflow: shift {5000 + n} is offered.")
    client.force_login(parent)
    first = client.get(url(family)).content.decode()
    assert "shift 5029" in first and "shift 5004" not in first and "Page 1 of 2" in first
    second = client.get(url(family) + "?page=2").content.decode()
    assert "shift 5004" in second and "shift 5029" not in second


@pytest.mark.parametrize("rows", [1, 25])
def test_the_list_costs_the_same_queries_for_one_text_or_a_page_of_them(
    client, family, parent, pa, carer, rows, django_assert_max_num_queries
):
    people = [pa, carer, parent]
    for n in range(rows):
        MessageFactory(recipient=family, user=people[n % 3])
    client.force_login(parent)
    # session, user, the recipient, two rights (view_circle, view_budget: guardian asks for user
    # and group permissions, two queries each), the paginator's count and one page of texts with
    # their people joined in (select_related): 9, at 1 row as at 25.
    with django_assert_max_num_queries(9):
        assert client.get(url(family)).status_code == 200


def test_no_live_link_can_be_taken_from_the_texts_page(client, family, parent, pa):
    """The budget holder must not be able to copy the ward contact's review link (or a pending
    invitation's) from the texts page and answer as the ward: the page shows no link at all."""
    import re

    from care import invitations
    from care.models import Role
    from tests.workflows.agreement_steps import link_token, start, start_data, ward_link_url

    ward_mobile = "+447700900555"
    assert start(client, parent, family, start_data(pas=[pa], mobile=ward_mobile)).status_code == 302
    invitations.invite(recipient=family, actor=parent, role=Role.CARER, first_name="Lee", mobile="+447700900444")
    ward_token = link_token(ward_mobile)
    invitation_body = Message.objects.get(purpose="invitation").body
    invitation_token = re.search(r"/join/([\w-]+)/", invitation_body).group(1)

    client.force_login(parent)
    page = client.get(url(family)).content.decode()
    assert "please review PA-in-hospital agreement" in page and "invited you" in page  # the texts are listed
    assert ward_token not in page and invitation_token not in page
    assert "/join/" not in page and "/ward/" not in page

    client.logout()
    assert client.get(ward_link_url(ward_token)).status_code == 200  # the ward's own link still works

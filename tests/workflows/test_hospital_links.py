"""The ward contact outside the circle reviews through a signed, single-use link that expires."""
import datetime

import pytest
from django.utils import timezone

from workflows.hospital.models import State, WardLink

from .agreement_steps import (
    action_url, conditions, latest, link_token, start, start_data, task_answers, ward_link_url,
)

pytestmark = pytest.mark.django_db

WARD_MOBILE = "+447700900555"


@pytest.fixture
def agreement(client, family, parent, pa):
    assert start(client, parent, family, start_data(pas=[pa], mobile=WARD_MOBILE)).status_code == 302
    client.logout()
    return latest(family)


def test_ward_contact_accepts_through_the_link_and_only_a_hash_is_stored(client, agreement):
    token = link_token(WARD_MOBILE)
    link = agreement.ward_links.get()
    assert token not in link.token_hash and link.token_hash == WardLink.hash_token(token)
    page = client.get(ward_link_url(token))
    assert page.status_code == 200 and "Ward 7" in page.content.decode()
    response = client.post(ward_link_url(token), {**conditions("accept"), **task_answers(agreement)})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.FUNDING
    review = agreement.reviews.get()
    assert review.via_link and review.reviewer is None and review.reviewer_name == "Ada Lane"


def test_a_link_used_twice_is_refused_the_second_time(client, agreement):
    token = link_token(WARD_MOBILE)
    client.post(ward_link_url(token), {**conditions("accept"), **task_answers(agreement)})
    again = client.post(ward_link_url(token), {**conditions("decline"), "reason": "Changed my mind"})
    assert again.status_code == 410 and "already been used" in again.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.FUNDING and agreement.reviews.count() == 1
    assert client.get(ward_link_url(token)).status_code == 410


def test_an_expired_link_is_refused_and_the_family_can_send_a_new_one(client, agreement, parent):
    token = link_token(WARD_MOBILE)
    WardLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.post(ward_link_url(token), {**conditions("accept"), **task_answers(agreement)})
    assert response.status_code == 410 and "expired" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.WARD_REVIEW and not agreement.reviews.exists()

    client.force_login(parent)
    assert client.post(action_url("new_link", agreement)).status_code == 302
    client.logout()
    fresh = link_token(WARD_MOBILE)
    assert fresh != token
    assert client.get(ward_link_url(token)).status_code == 410  # the old one stays dead
    assert client.get(ward_link_url(fresh)).status_code == 200


def test_bad_input_through_the_link_gives_a_clear_message_and_leaves_the_link_usable(client, agreement):
    token = link_token(WARD_MOBILE)
    response = client.post(ward_link_url(token), {**conditions("accept", report_to="", present_from=""),
                                                  **task_answers(agreement)})
    assert response.status_code == 200
    assert "Give the ward&#x27;s conditions" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.state == State.WARD_REVIEW and agreement.ward_links.get().used_at is None
    assert client.get(ward_link_url(token)).status_code == 200


def test_an_unknown_token_is_404_and_a_signed_in_person_sees_nothing(client, agreement, parent):
    assert client.get(ward_link_url("not-a-token")).status_code == 404
    client.force_login(parent)
    response = client.get(ward_link_url(link_token(WARD_MOBILE)))
    assert response.status_code == 403 and "Ward 7" not in response.content.decode()

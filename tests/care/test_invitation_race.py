"""Two people (or two taps) accepting the same link at the same moment make one member: the
claim is a conditional update, and PostgreSQL lets only one of them through."""
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from care.invitations import InvitationUnusable, accept_with_new_account, invite
from care.models import Invitation, Membership, Role
from tests.factories import CareRecipientFactory, member

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_acceptances_make_one_member():
    family = CareRecipientFactory()
    parent = member(family, Role.BUDGET_HOLDER, username="race-parent")
    invitation = invite(recipient=family, actor=parent, role=Role.CARER, first_name="Kit",
                        email="kit@example.org")
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(username):
        try:
            barrier.wait()
            accept_with_new_account(invitation=Invitation.objects.get(pk=invitation.pk), username=username,
                                    password="Kettle-Harbour-Ribbon-27")
            outcomes.append("joined")
        except InvitationUnusable as gone:
            outcomes.append(gone.state.value)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("kit-a", "kit-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["accepted", "joined"]
    assert Membership.objects.filter(recipient=family, role=Role.CARER).count() == 1
    assert get_user_model().objects.filter(username__in=["kit-a", "kit-b"]).count() == 1

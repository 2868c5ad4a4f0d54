"""The printable agreement carries everything the ward files: the person, ward, dates, each PA
with what they will and will not do and when they confirmed the ward's conditions on their
phone, the conditions, funding and insurance (and a lapse before discharge), the planned shifts,
the suspensions, and a signature line beside what each party signs."""
import pytest
from django.urls import reverse

from care.models import Role
from tests.factories import member
from workflows.hospital.flow import HospitalAgreementFlow as Flow

from .agreement_steps import (
    action_url, competent_pa, conditions, day, detail_url, funding, latest, review_url, start, start_data, take,
    task_answers, ward_manager,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_force(client, family, parent, nurse, pa):
    pa_two = member(family, Role.PA, username="pa-two", first_name="Sam", last_name="Reed")
    ward = ward_manager(family)
    suction = competent_pa(family, parent, nurse, pa, "tracheostomy-suction")
    competent_pa(family, parent, nurse, pa, "tracheostomy-stoma-care")
    start(client, parent, family, start_data(pas=[pa, pa_two], ward=ward, asked=[suction.pk]))
    agreement = latest(family)
    client.force_login(ward)
    client.post(review_url(agreement),
                {**conditions("accept"), **task_answers(agreement, allow=["tracheostomy-suction"])})
    # insurance ending before the expected discharge (day 3)
    assert take(client, parent, agreement, Flow.fund,
                funding(agreement, plan={1: pa, 2: pa_two}, expires=day(2))).status_code == 302
    agreement.pa_two, agreement.ward_user = pa_two, ward
    return agreement


def test_a_pa_confirms_the_wards_conditions_on_their_phone_once(client, in_force, pa, parent):
    client.force_login(pa)
    assert "Before your first hospital shift" in client.get(reverse("home")).content.decode()
    page = client.get(detail_url(in_force)).content.decode()
    assert "I have read the ward's conditions and will follow them" in page
    assert client.post(action_url("conditions_read", in_force)).status_code == 302
    assert in_force.conditions_read.get().pa == pa
    assert "I have read the ward" not in client.get(detail_url(in_force)).content.decode()
    assert "Before your first hospital shift" not in client.get(reverse("home")).content.decode()
    client.post(action_url("conditions_read", in_force))
    assert in_force.conditions_read.count() == 1
    client.force_login(parent)  # not a PA of the agreement
    assert client.post(action_url("conditions_read", in_force)).status_code == 403
    assert client.get(action_url("conditions_read", in_force)).status_code == 405


def test_the_printed_agreement_is_complete(client, in_force, pa, parent):
    client.force_login(pa)
    client.post(action_url("conditions_read", in_force))
    client.force_login(in_force.ward_user)
    client.post(action_url("suspend", in_force), {"reason": "Outbreak on the bay"})
    client.post(action_url("resume", in_force))
    client.force_login(parent)
    page = client.get(action_url("print", in_force)).content.decode()
    for expected in (
        "Alfie Testcase", "Ward 7, St Example&#x27;s Hospital", "Admitted",  # person, ward, dates
        "Tracheostomy suction (the ward allows it)", "Tracheostomy stoma care (the ward keeps it)",
        "Postural care, handling and movement",
        "The nurse in charge at the desk", "09:00–17:00", "Nurse in charge ext 4321",  # conditions
        "Example Mutual", "EL-123456", "before the expected discharge",  # insurance and its lapse
        "Planned hospital shifts", "Suspended by the ward", "Resumed by the ward", "Outbreak on the bay",
        "Signed for the ward", "Ada Lane", "Budget holder's signature",
    ):
        assert expected in page, expected
    assert page.count("PA's signature") == 2
    table = page.split("<h3>Delegated tasks</h3>")[1].split("</table>")[0]  # the terms, task by task
    assert "Tracheostomy suction" in table and "✓ The ward allows the PA to do it" in table
    assert "Tracheostomy stoma care" in table and "✗ The ward keeps it" in table
    pas = page.split("Each PA: what they will and will not do")[1].split("Funding and insurance")[0]
    blocks = pas.split('<div class="keep-together pa-terms">')[1:]
    confirmed, waiting = sorted(blocks, key=lambda block: "Sam Reed" in block)
    assert "not yet" not in confirmed and "Read and confirmed the ward's conditions on their phone: <strong>" in confirmed
    assert "Sam Reed" in waiting and "not yet" in waiting
    # each signature sits inside the block of what it signs (print.css keeps each block on one page)
    assert page.count('class="keep-together') == 4

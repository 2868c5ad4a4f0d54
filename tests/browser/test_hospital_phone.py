"""The PA-in-hospital agreement on a phone: the named PA finds it from their home page and reads
what the ward agreed, a PA it does not name cannot open it, and every role's hospital pages (and
the pages behind the second factor) pass axe-core with no serious or critical violation.

Agreements are driven to the state each page needs before the browser opens: Playwright runs an
event loop in the test's thread, and the rota's broadcasts on funding call async_to_sync.
"""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from care.kernel.clock import local_midnight
from care.models import Role
from competencies.catalogue import install
from tests.browser.conftest import PHONE, has_horizontal_scroll, log_in
# audit and axe_path are fixtures: imported, pytest finds them here too.
from tests.browser.test_accessibility import audit, axe_path, report, send_without_validation  # noqa: F401
from tests.factories import CareRecipientFactory, member
from tests.respite.factories import RespiteAccountFactory
from tests.workflows.agreement_steps import (
    competent_pa, conditions, detail_url, funding, latest, link_token, open_task, review_url, start, start_data,
    take, task_answers, ward_link_url, ward_manager,
)
from rota import services as rota
from workflows.hospital.flow import HospitalAgreementFlow as Flow
from workflows.hospital.models import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARD_MOBILE = "+447700900555"
IN_FORCE_MOBILE = "+447700900556"
SUCTION, STOMA = "tracheostomy-suction", "tracheostomy-stoma-care"


def in_force(client, family, parent, ward, pas, allow=()):
    """Family starts (asking for `allow`), the ward accepts allowing `allow`, the budget holder funds
    one hospital shift a day for the first PA: the agreement is in force."""
    asked = [c.pk for pa in pas for c in pa.competencies.filter(task__code__in=allow)]
    assert start(client, parent, family, start_data(pas=pas, ward=ward, asked=asked)).status_code == 302
    agreement = latest(family)
    client.force_login(ward)
    answer = {**conditions("accept"), **task_answers(agreement, allow=allow)}
    assert client.post(review_url(agreement), answer).status_code == 302
    plan = {n: pas[0] for n in range(4)}
    assert take(client, parent, agreement, Flow.fund, funding(agreement, plan=plan)).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == State.ACTIVE
    return agreement


@pytest.fixture
def pa_on_the_ward(transactional_db, client, family, parent, nurse, pa):
    """One agreement in force naming `pa`, who may do suction on the ward while the ward keeps stoma
    care; a second PA of the same family is not named."""
    install()
    ward = ward_manager(family)
    competent_pa(family, parent, nurse, pa, SUCTION)
    competent_pa(family, parent, nurse, pa, STOMA)
    unnamed = member(family, Role.PA, username="pa-not-named")
    agreement = in_force(client, family, parent, ward, [pa], allow=(SUCTION,))
    client.logout()
    return {"agreement": agreement, "unnamed": unnamed}


def test_the_named_pa_reads_the_agreement_on_their_phone_and_an_unnamed_pa_gets_404(
        pa_on_the_ward, live_server, chromium, phone, family):
    agreement = pa_on_the_ward["agreement"]

    # a PA of the same family the agreement does not name: not on their home page or list, and 404
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server.url, pa_on_the_ward["unnamed"].username)
    assert agreement.reference not in page.content()
    for path in (detail_url(agreement), reverse("workflows:hospital:print", args=[agreement.pk])):
        assert page.goto(f"{live_server.url}{path}").status == 404, path
    page.goto(f"{live_server.url}{reverse('workflows:hospital:index')}")
    assert "No hospital agreement names you." in page.content()
    context.close()

    # the PA it names finds it from their home page and reads it without scrolling sideways
    page = phone.new_page()
    log_in(page, live_server.url, "pa")
    assert not has_horizontal_scroll(page)
    page.get_by_role("link", name=re.compile(re.escape(f"({agreement.reference})"))).click()
    page.wait_for_url(f"{live_server.url}{detail_url(agreement)}")
    assert page.get_by_role("heading", name=f"Hospital agreement {agreement.reference}").is_visible()
    assert page.get_by_text("In place", exact=True).is_visible()
    ward = page.get_by_role("heading", level=2, name=re.compile("Ward 7")).inner_text()
    assert ward == f"{family.display_name} on Ward 7, St Example's Hospital"
    ward_terms = page.locator("dl").inner_text()
    assert "On arrival, report to\nThe nurse in charge at the desk" in ward_terms
    assert "Hours the PA is present\n09:00–17:00" in ward_terms
    assert "Hand gel in and out" in ward_terms and "Nurse in charge ext 4321" in ward_terms
    support = page.get_by_role("heading", name="What the PAs do on the ward").locator("xpath=following-sibling::ul[1]")
    assert support.inner_text().splitlines() == ["Postural care, handling and movement", "Communication"]
    rows = {r.locator("td").nth(1).inner_text(): r.locator("td").nth(2).inner_text()
            for r in page.locator("table tbody tr").all()}
    assert rows == {"Tracheostomy suction": "✓ The ward allows the PA to do it",
                    "Tracheostomy stoma care": "✗ The ward keeps it"}
    assert not has_horizontal_scroll(page)

    # and from their list of hospital agreements
    page.goto(f"{live_server.url}{reverse('workflows:hospital:index')}")
    assert "report to The nurse in charge at the desk · 09:00–17:00" in page.locator("main li.card").first.inner_text()
    assert not has_horizontal_scroll(page)
    page.get_by_role("link", name=f"{agreement.reference}: {family.display_name}").click()
    page.wait_for_url(f"{live_server.url}{detail_url(agreement)}")


@pytest.fixture
def every_state(transactional_db, client, family, parent, nurse, pa, other_family, other_pa):
    """Before the browser opens: family one's agreement in force (the PA may do suction, the ward
    keeps stoma care); family two's waiting for the ward manager's review, with a delegated task to
    decide; a third family's waiting for the ward contact's link; a fourth's waiting for funding.
    `parent` is the budget holder of all four, `ward` the ward manager of the first two."""
    install()
    ward = ward_manager(family)
    competent_pa(family, parent, nurse, pa, SUCTION)
    competent_pa(family, parent, nurse, pa, STOMA)
    live = in_force(client, family, parent, ward, [pa], allow=(SUCTION,))

    for role in (Role.BUDGET_HOLDER, Role.CARER):
        member(other_family, role, user=parent)
    member(other_family, Role.WARD_MANAGER, user=ward)
    member(other_family, Role.CLINICIAN, user=nurse)
    competent_pa(other_family, parent, nurse, other_pa, SUCTION)
    assert start(client, parent, other_family, start_data(pas=[other_pa], ward=ward)).status_code == 302
    reviewing = latest(other_family)

    by_link_family = CareRecipientFactory(display_name="Cal Linkfamily")
    for role in (Role.BUDGET_HOLDER, Role.CARER):
        member(by_link_family, role, user=parent)
    link_pa = member(by_link_family, Role.PA, username="pa-link")
    assert start(client, parent, by_link_family, start_data(pas=[link_pa], mobile=WARD_MOBILE)).status_code == 302

    funding_family = CareRecipientFactory(display_name="Dee Fundfamily")
    for role in (Role.BUDGET_HOLDER, Role.CARER):
        member(funding_family, role, user=parent)
    funding_ward = ward_manager(funding_family, username="ward-fund")
    funding_pa = member(funding_family, Role.PA, username="pa-fund")
    # a home shift inside the stay, for the family to keep, cancel or turn into a hospital shift
    home_start = local_midnight(timezone.localdate(), days=2) + datetime.timedelta(hours=7)
    rota.create_shift(recipient=funding_family, start=home_start, end=home_start + datetime.timedelta(hours=5),
                      kind="day", actor=parent, pa=funding_pa)
    assert start(client, parent, funding_family, start_data(pas=[funding_pa], ward=funding_ward)).status_code == 302
    to_fund = latest(funding_family)
    client.force_login(funding_ward)
    assert client.post(review_url(to_fund), {**conditions("accept"), **task_answers(to_fund)}).status_code == 302
    client.force_login(parent)
    fund_task = open_task(to_fund, Flow.fund)
    assert client.post(Flow.fund.reverse("assign", args=[to_fund.pk, fund_task.pk])).status_code == 302
    # a family with no open agreement, for the admission form
    new_family = CareRecipientFactory(display_name="Eve Newfamily")
    for role in (Role.BUDGET_HOLDER, Role.CARER):
        member(new_family, role, user=parent)
    member(new_family, Role.PA, username="pa-new")
    # an agreement in force whose ward reviewed by link: the ward contact's in-force link
    in_force_family = CareRecipientFactory(display_name="Fay Wardlink")
    for role in (Role.BUDGET_HOLDER, Role.CARER):
        member(in_force_family, role, user=parent)
    in_force_pa = member(in_force_family, Role.PA, username="pa-wardlink")
    assert start(client, parent, in_force_family, start_data(pas=[in_force_pa], mobile=IN_FORCE_MOBILE)).status_code == 302
    by_link = latest(in_force_family)
    client.logout()
    client.post(ward_link_url(link_token(IN_FORCE_MOBILE)), {**conditions("accept"), **task_answers(by_link)})
    assert take(client, parent, by_link, Flow.fund, funding(by_link, plan={1: in_force_pa, 2: in_force_pa})).status_code == 302
    client.logout()
    return {
        "family": family, "live": live, "reviewing": reviewing, "link": ward_link_url(link_token(WARD_MOBILE)),
        "fund": Flow.fund.reverse("execute", args=[to_fund.pk, fund_task.pk]), "new_family": new_family,
        "in_force_link": ward_link_url(link_token(IN_FORCE_MOBILE)),
    }


# Forms sent back with the server's errors (the browser's own validation turned off).


def start_without_answers(page):
    send_without_validation(page, "main form.stack")
    page.wait_for_selector("main .errors")


def review_without_a_decision(page):
    send_without_validation(page, "main form.stack")
    page.wait_for_selector("main .errors")


def fund_without_insurance(page):
    send_without_validation(page, "main form.stack")
    page.get_by_text("Give the insurer, the policy number").wait_for()


def record_the_discharge_tomorrow(page):
    page.fill("#id_discharged_on", (timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record the discharge").click()
    page.get_by_role("heading", name="Hospital shifts that will be cancelled").wait_for()


def test_every_roles_hospital_pages_on_a_phone_have_no_serious_accessibility_violations(every_state, axe_path, audit):
    live, reviewing, family = every_state["live"], every_state["reviewing"], every_state["family"]
    start_form = Flow.start.reverse("execute") + f"?recipient={every_state['new_family'].pk}"
    already_open = Flow.start.reverse("execute") + f"?recipient={family.pk}"
    agreement = detail_url(live)
    pages = {
        "parent": [start_form, (start_form, start_without_answers), already_open, agreement,
                   (agreement, record_the_discharge_tomorrow),
                   reverse("workflows:hospital:print", args=[live.pk]), every_state["fund"],
                   (every_state["fund"], fund_without_insurance)],
        "ward": [review_url(reviewing), (review_url(reviewing), review_without_a_decision), agreement,
                 reverse("workflows:hospital:index")],
        None: [every_state["link"], (every_state["link"], review_without_a_decision), every_state["in_force_link"]],
        "pa": ["/", reverse("workflows:hospital:index"), agreement],
    }
    found = []
    for username, paths in pages.items():
        found += audit(username, paths)
    assert not found, report(found)


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enter_code(device, then, visible):
    """An action for audit(): type the authenticator's current code and land on `then`, where the
    form behind the second factor is visible."""

    def enter_authenticator_code(page):
        page.fill("#id_code", current_code(device))
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**{then}")
        assert page.get_by_role("button", name=visible).is_visible(), f"{visible} not shown on {then}"

    return enter_authenticator_code


@pytest.fixture
def behind_the_second_factor(transactional_db, family, parent, nurse, pa, carer, coordinator):
    install()
    competency = competent_pa(family, parent, nurse, pa, SUCTION)
    account = RespiteAccountFactory(recipient=family, carer=carer)
    devices = {user.username: TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
               for user in (nurse, coordinator)}
    return {"competency": competency, "account": account, "devices": devices}


def test_pages_behind_the_second_factor_have_no_serious_accessibility_violations(
        behind_the_second_factor, axe_path, audit):
    competency = reverse("competencies:detail", args=[behind_the_second_factor["competency"].pk])
    adjust = reverse("respite:adjust", args=[behind_the_second_factor["account"].pk])
    devices = behind_the_second_factor["devices"]
    found = audit("nurse", [
        competency,
        (f"/account/two-factor/?next={competency}", enter_code(devices["nurse"], competency, "Revoke")),
    ])
    found += audit("coordinator", [
        (f"/account/two-factor/?next={adjust}", enter_code(devices["coordinator"], adjust, "Record the adjustment")),
    ])
    assert not found, report(found)


@pytest.mark.parametrize("width", [390, 360])
def test_the_new_hospital_pages_fit_a_phone_without_scrolling_sideways(every_state, live_server, chromium, width):
    """What the family and the ward do on a phone: the admission page when an agreement is open,
    the funding page with its home shifts, recording a discharge and its list of shifts, the print
    page; and the ward contact's page for the agreement in force."""
    live, family = every_state["live"], every_state["family"]
    context = chromium.new_context(**{**PHONE, "viewport": {"width": width, "height": 800}})
    page = context.new_page()
    log_in(page, live_server.url, "parent")
    page.goto(f"{live_server.url}{Flow.start.reverse('execute')}?recipient={family.pk}")
    assert page.get_by_role("link", name=f"Open {live.reference}").is_visible()
    assert not has_horizontal_scroll(page), "admission page"
    page.goto(f"{live_server.url}{every_state['fund']}")
    assert page.get_by_text("Home shifts during the stay (1)").is_visible()
    assert page.get_by_label("Turn it into the hospital shift that day").is_visible()
    assert not has_horizontal_scroll(page), "funding page"
    page.goto(f"{live_server.url}{detail_url(live)}")
    record_the_discharge_tomorrow(page)
    assert page.get_by_role("button", name=re.compile("Yes, plan the discharge")).is_visible()
    assert not has_horizontal_scroll(page), "discharge confirmation"
    page.goto(f"{live_server.url}{reverse('workflows:hospital:print', args=[live.pk])}")
    assert page.get_by_text("Signed for the ward").is_visible()
    assert not has_horizontal_scroll(page), "print page"
    context.close()

    context = chromium.new_context(**{**PHONE, "viewport": {"width": width, "height": 800}})
    page = context.new_page()
    page.goto(f"{live_server.url}{every_state['in_force_link']}")
    assert page.get_by_role("button", name="Suspend the agreement").is_visible()
    assert not has_horizontal_scroll(page), "ward's in-force link"
    context.close()

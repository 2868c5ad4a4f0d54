"""axe-core on the main pages of every role, on a phone, with the demo data: no violation whose
impact is serious or critical.

axe-core comes from npm (`make testtools` puts it in node_modules/); Playwright injects it into
the page. The app never serves it and nothing fetches it from a CDN.
"""
import datetime
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
# axe calls an aria-describedby that names a missing id "incomplete", since a script might add
# the element later. Our pages are server-rendered and nothing adds it: it is a broken reference
# (help text and errors never read out), so it counts as a violation here.
BROKEN_WHEN_INCOMPLETE = {"aria-valid-attr-value"}


@pytest.fixture
def axe_path():
    if not AXE.exists():
        message = "node_modules/axe-core/axe.min.js is missing: run `make testtools` (needs npm)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    return AXE


@pytest.fixture
def audit(axe_path, chromium, live_server):
    """audit(username or None, pages) -> the serious and critical violations on those pages, all
    opened in one phone-sized browser context for that person. A page is a path, or a path and
    an action (fill and submit a form) whose result is checked too.

    The context bypasses the app's Content-Security-Policy (script-src 'self', no inline script)
    only because Playwright injects axe as an inline <script>; it is used for nothing but the axe
    run.
    """

    def run(username, pages):
        who = username or "anonymous"
        found = []
        context = chromium.new_context(**PHONE, bypass_csp=True)
        try:
            page = context.new_page()
            if username:
                log_in(page, live_server.url, username)
            for entry in pages:
                path, action = entry if isinstance(entry, tuple) else (entry, None)
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, f"{who} {path}: HTTP {response.status}"
                assert page.url == f"{live_server.url}{path}", f"{who} {path} went to {page.url}"
                label = path
                if action:
                    action(page)
                    label = f"{path} -> {page.url.removeprefix(live_server.url)} ({action.__name__})"
                page.add_script_tag(path=str(axe_path))
                result = page.evaluate("() => axe.run(document)")
                problems = result["violations"] + [
                    check for check in result["incomplete"] if check["id"] in BROKEN_WHEN_INCOMPLETE
                ]
                found += [
                    {"who": who, "page": label, "rule": problem["id"], "impact": problem["impact"],
                     "targets": [node["target"] for node in problem["nodes"]][:5]}
                    for problem in problems
                    if problem["impact"] in BLOCKING
                ]
        finally:
            context.close()
        return found

    return run


def report(found):
    return "serious or critical axe violations:\n" + "\n".join(json.dumps(v) for v in found)


@pytest.fixture
def demo(transactional_db):
    """seed_demo, before the browser opens: Playwright runs an event loop in this thread, and the
    seed's broadcasts would call async_to_sync inside it."""
    from care.models import CareRecipient
    from competencies.models import Competency
    from respite.models import RespiteAccount
    from workflows.delegation.models import DelegationProcess

    call_command("seed_demo", stdout=io.StringIO())
    alfie = CareRecipient.objects.get(display_name="Alfie Demo").pk
    processes = DelegationProcess.objects.filter(recipient_id=alfie).order_by("pk")
    return {
        "alfie": alfie,
        "in_training": processes.filter(pa__username="pa2").first().pk,
        "awaiting_risk": processes.filter(pa__username="pa3").first().pk,
        "competency": Competency.objects.filter(recipient_id=alfie, pa__username="pa1").order_by("pk").first().pk,
        "account": RespiteAccount.objects.get(recipient_id=alfie, carer__username="grandparent").pk,
    }


# Actions that leave a page in the state worth checking: a form sent back with its errors. The
# browser's own validation would stop an empty required field from being sent, so it is turned
# off: the errors checked are the server's.


def send_without_validation(page, form):
    page.eval_on_selector(form, "form => { form.noValidate = true; }")
    page.click(f"{form} button[type=submit]")


def shift_without_a_day(page):
    page.fill("#id_day", "")
    send_without_validation(page, "main form.stack")
    page.wait_for_selector("#id_day_error")


def wrong_login(page):
    page.fill("#id_username", "parent")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=alert]")


def empty_family(page):
    send_without_validation(page, "main form")
    page.wait_for_selector(".errorlist")


def take_risk_assessment(page):
    # One tap claims the step and opens it (the claim page no longer stands between)
    page.get_by_role("button", name="Take and open").first.click()
    page.wait_for_url("**/assess_risk/*/execute/")


def test_pages_before_login_have_no_serious_accessibility_violations(axe_path, audit):
    found = audit(None, [("/login/", wrong_login), "/login/", "/password-reset/", "/password-reset/sent/", "/recover/"])
    assert not found, report(found)


def test_every_roles_main_pages_have_no_serious_accessibility_violations(axe_path, demo, audit):
    alfie, account = demo["alfie"], demo["account"]
    # Demo shifts start tomorrow, so the week from eight days on is always full.
    week = (timezone.localdate() + datetime.timedelta(days=8)).isoformat()
    pages = {
        "parent": [
            "/", f"/people/{alfie}/", f"/rota/{alfie}/?week={week}", f"/rota/{alfie}/new/",
            (f"/rota/{alfie}/new/", shift_without_a_day), f"/respite/people/{alfie}/",
            f"/competencies/people/{alfie}/", f"/notifications/{alfie}/messages/", f"/people/{alfie}/circle/",
            f"/workflows/people/{alfie}/delegations/",
        ],
        "grandparent": ["/", "/respite/", f"/respite/accounts/{account}/", f"/respite/accounts/{account}/book/"],
        "pa1": ["/", "/rota/mine/", f"/competencies/{demo['competency']}/"],
        "nurse": [
            "/workflows/inbox/", f"/workflows/delegation/{demo['in_training']}/",
            (f"/workflows/delegation/{demo['awaiting_risk']}/", take_risk_assessment),
            f"/competencies/people/{alfie}/", "/account/two-factor/",
        ],
        "coordinator": [
            "/families/", "/families/new/", ("/families/new/", empty_family), "/audit/", f"/audit/?person={alfie}",
        ],
        "ward": ["/", f"/workflows/people/{alfie}/hospital/"],
    }
    found = []
    for username, paths in pages.items():
        found += audit(username, paths)
    assert not found, report(found)

"""Fixtures for the system tests: one stack of real processes for the session (web A, web B, a
Celery worker and beat from deploy/Procfile, our own redis-server), the circle they serve, and
open rota pages. The tests commit for real (`transaction=True`) so the processes see their rows.
"""
import shutil
import tempfile

import pytest
from django.db import connection

from care.models import Role
from tests.factories import CareRecipientFactory, ProfileFactory, member

from .helpers import Browser, Pages, RedisServer, Stack, database_url

PA_COUNT = 10


@pytest.fixture(scope="session")
def system_stack(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("the system tests run real processes against PostgreSQL")
    workdir = tempfile.mkdtemp(prefix="pw-system-stack-")
    redis = RedisServer(workdir).start()
    stack = Stack(workdir, database_url(connection.settings_dict), redis)
    try:
        try:
            stack.start_all()
        except BaseException:
            stack.failed = True
            print(stack.logs())  # shown with the first test's setup error
            raise
        yield stack
    finally:
        stack.stop_all()
        redis.stop()
    if not stack.failed:  # a failed run keeps its logs in workdir (their tails are in the report)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    stack = getattr(item, "funcargs", {}).get("system_stack")
    if report.failed and stack is not None:
        stack.failed = True
        report.sections.append(("system processes' logs", stack.logs()))
    return report


class Circle:
    """A person, their budget holder and PA_COUNT PAs who agreed to texts, all committed."""

    def __init__(self):
        self.recipient = CareRecipientFactory(display_name="Sam Systemtest")
        self.parent = member(self.recipient, Role.BUDGET_HOLDER, username="sys-parent", first_name="Pat",
                             last_name="Parent")
        member(self.recipient, Role.CARER, user=self.parent)
        ProfileFactory(user=self.parent)
        self.pas = [member(self.recipient, Role.PA, username=f"sys-pa{i}", first_name=f"Pa{i}", last_name="Worker")
                    for i in range(1, PA_COUNT + 1)]


@pytest.fixture
def circle(system_stack):
    return Circle()


@pytest.fixture
def pages():
    running = Pages()
    yield running
    running.close()


@pytest.fixture
def browsers():
    opened = []

    def open_browser(stack, web, username):
        browser = Browser(stack.url(web), username)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.close()



@pytest.fixture(autouse=True)
def _fast_password_hasher():
    """The real processes hash with the production settings (Argon2), so the people they log in
    must be saved with them too: this replaces the suite's fast-hasher fixture here."""

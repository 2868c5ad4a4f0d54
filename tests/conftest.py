"""The shared cast. Every permission test uses at least two families so a refusal can be
shown to be about the circle, not about the page.

- family one: `parent` (budget holder and carer), `pa` (a PA of family one),
  `nurse` (clinician of family one), `coordinator` (of family one).
- family two: `other_parent`, `other_pa` — people who must never see family one.
- `outsider`: logged in, in nobody's circle.
"""
import os
import shutil

import pytest

from care.models import Role
from tests.factories import CareRecipientFactory, UserFactory, member


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(settings.REDIS_URL)
    has_browser = os.path.exists("/usr/bin/chromium") or shutil.which("chromium")
    require_services = os.environ.get("REQUIRE_SERVICES") == "1"
    require_browser = os.environ.get("REQUIRE_BROWSER") == "1"
    for item in items:
        if item.get_closest_marker("services") or item.get_closest_marker("system"):
            if not (on_postgres and has_redis):
                if require_services:
                    raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL/REDIS_URL are not PostgreSQL/Redis")
                item.add_marker(pytest.mark.skip(reason="needs PostgreSQL and Redis: run `make test-services`"))
        if item.get_closest_marker("browser") and not has_browser:
            if require_browser:
                raise pytest.UsageError("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)")
            item.add_marker(pytest.mark.skip(reason="needs Debian's chromium (.ci/run installs it)"))


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    settings.SMS_BACKEND = "locmem"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Argon2 costs ~118 ms a hash; the suite hashes thousands of passwords. Production keeps
    # Argon2 (tests/accounts/test_password_hashing.py proves it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):
    # Django's test client authenticates without a request, which django-axes refuses;
    # tests/care/test_login_throttle.py turns it back on to prove the lockout.
    settings.AXES_ENABLED = False


@pytest.fixture
def family(db):
    recipient = CareRecipientFactory(display_name="Alfie Testcase")
    return recipient


@pytest.fixture
def other_family(db):
    return CareRecipientFactory(display_name="Bea Otherfamily")


@pytest.fixture
def parent(family):
    user = member(family, Role.BUDGET_HOLDER, username="parent")
    member(family, Role.CARER, user=user)
    return user


@pytest.fixture
def carer(family):
    return member(family, Role.CARER, username="grandparent")


@pytest.fixture
def pa(family):
    return member(family, Role.PA, username="pa")


@pytest.fixture
def nurse(family):
    return member(family, Role.CLINICIAN, username="nurse")


@pytest.fixture
def coordinator(family):
    return member(family, Role.COORDINATOR, username="coordinator")


@pytest.fixture
def other_parent(other_family):
    return member(other_family, Role.BUDGET_HOLDER, username="other-parent")


@pytest.fixture
def other_pa(other_family):
    return member(other_family, Role.PA, username="other-pa")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")

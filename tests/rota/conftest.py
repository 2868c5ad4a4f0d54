"""Rota fixtures on top of the shared cast (tests/conftest.py).

Dates are in March of `YEAR`, a future year (see factories.py), unless a test is about a named
day, so the rules that refuse booking a finished shift never interfere by accident.
"""
from paworkflow import settings as project_settings
import datetime

import pytest

from care.models import Role
from notifications.backends import locmem
from rota import rules
from tests.factories import member

from .factories import YEAR, at, task


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.clear()
    yield
    locmem.clear()


@pytest.fixture(autouse=True)
def _planning_reaches_the_test_year(settings):
    """YEAR may be up to a decade ahead (the next year whose 1 March is a Monday), further than a
    family may plan (settings.ROTA_SHIFTS_AHEAD_DAYS): widen the horizon to reach it. Tests of the
    window itself put the real one back (tests/rota/test_date_windows.py)."""
    reach = (datetime.date(YEAR + 1, 1, 1) - datetime.date.today()).days
    settings.ROTA_SHIFTS_AHEAD_DAYS = max(reach, project_settings.ROTA_SHIFTS_AHEAD_DAYS)


@pytest.fixture
def suction(db):
    """A delegated task from the catalogue (shipped by competencies' data migration)."""
    return task("tracheostomy-suction")


@pytest.fixture
def pa2(family):
    """A second PA of family one, to compete with `pa`."""
    return member(family, Role.PA, username="pa-two")


@pytest.fixture
def monday():
    return datetime.date(YEAR, 3, 1)


@pytest.fixture
def nine_to_five(monday):
    return at(monday, 9), at(monday, 17)


def texts_to(user):
    number = user.profile.mobile
    return [t for t in locmem.outbox if t.to == number]

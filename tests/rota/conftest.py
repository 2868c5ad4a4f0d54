"""Rota fixtures on top of the shared cast (tests/conftest.py).

Dates are in March of `YEAR`, a future year (see factories.py), unless a test is about a named
day, so the rules that refuse booking a finished shift never interfere by accident.
"""
import datetime

import pytest

from care.models import Role
from notifications.backends import locmem
from tests.factories import member

from .factories import YEAR, at, task


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.clear()
    yield
    locmem.clear()


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

"""Employment fixtures on top of the shared cast (tests/conftest.py) and the rota's (YEAR, shifts)."""
import pytest

from tests.rota.conftest import _empty_outbox, _planning_reaches_the_test_year, monday, pa2  # noqa: F401

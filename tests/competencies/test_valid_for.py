"""The competency gate's one query: valid at the start and through the end of a shift."""
import datetime
import zoneinfo

import pytest

from competencies.models import Competency, Status

from .factories import CompetencyFactory, catalogue

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(hour, minute=0):
    return datetime.datetime(2026, 6, 1, hour, minute, tzinfo=LONDON)


@pytest.fixture
def expiring_at_ten(family, pa):
    return CompetencyFactory(pa=pa, recipient=family, task=catalogue("nebuliser"),
                             valid_from=at(0) - datetime.timedelta(days=300), valid_until=at(10))


def test_competency_expiring_at_ten_does_not_cover_a_shift_ending_at_half_past(expiring_at_ten, family):
    task = expiring_at_ten.task
    assert not Competency.objects.valid_for(family, task, at(8), until=at(10, 30)).exists()


def test_it_covers_a_shift_ending_exactly_at_ten(expiring_at_ten, family):
    assert Competency.objects.valid_for(family, expiring_at_ten.task, at(8), until=at(10)).get() == expiring_at_ten


def test_it_is_not_valid_at_the_moment_it_expires(expiring_at_ten, family):
    assert not Competency.objects.valid_for(family, expiring_at_ten.task, at(10)).exists()
    assert Competency.objects.valid_for(family, expiring_at_ten.task, at(9, 59)).exists()


def test_it_is_not_valid_before_its_sign_off(family, pa):
    competency = CompetencyFactory(pa=pa, recipient=family, valid_from=at(12), valid_until=at(12) + datetime.timedelta(days=365))
    assert not Competency.objects.valid_for(family, competency.task, at(11)).exists()


@pytest.mark.parametrize("status", [Status.SUSPENDED, Status.REVOKED, Status.EXPIRED, Status.IN_TRAINING, Status.ASSESSED])
def test_only_signed_off_competencies_are_valid(family, pa, status):
    competency = CompetencyFactory(pa=pa, recipient=family, valid_from=at(0), valid_until=at(23), status=status)
    if status in (Status.IN_TRAINING, Status.ASSESSED):
        Competency.objects.filter(pk=competency.pk).update(signed_off_by=None, signed_off_at=None)
    assert not Competency.objects.valid_for(family, competency.task, at(9)).exists()


def test_it_is_only_for_that_person_and_that_task(family, other_family, pa):
    competency = CompetencyFactory(pa=pa, recipient=family, valid_from=at(0), valid_until=at(23))
    assert not Competency.objects.valid_for(other_family, competency.task, at(9)).exists()
    assert not Competency.objects.valid_for(family, catalogue("oxygen-therapy"), at(9)).exists()


def test_valid_for_is_one_query(family, pa, django_assert_num_queries):
    competency = CompetencyFactory(pa=pa, recipient=family, valid_from=at(0), valid_until=at(23))
    with django_assert_num_queries(1):
        assert list(Competency.objects.valid_for(family, competency.task, at(9), until=at(17))) == [competency]

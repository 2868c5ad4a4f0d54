"""The factories' mobiles stay textable however long the run: a suite makes thousands of profiles."""
import pytest

from notifications.phones import parse_mobile
from tests.factories import ProfileFactory


@pytest.mark.parametrize("sequence", [0, 999, 1000, 4321, 123456])
def test_a_factory_mobile_is_a_number_we_would_text_at_any_point_in_a_long_run(sequence):
    ProfileFactory.reset_sequence(sequence)
    profile = ProfileFactory.build()
    assert parse_mobile(profile.mobile) == profile.mobile

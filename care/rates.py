"""A PA's hourly rate as care takes it (inviting a PA, adding one by mobile), checked against the wage
floor. The floor and its dates belong to employment, which stands above care, so care reaches the
check through a setting naming it (CARE_RATE_WARNING), the way Django reaches a backend."""
from django.conf import settings
from django.utils.module_loading import import_string


def rate_warning(hourly_rate):
    """The warning for an hourly rate a PA is offered from today, or None (no rate, or no check set)."""
    path = getattr(settings, "CARE_RATE_WARNING", "")
    if not path or hourly_rate is None:
        return None
    return import_string(path)(hourly_rate) or None

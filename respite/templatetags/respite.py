from django import template

from respite.forms import CancelForm

register = template.Library()


@register.filter
def hours(value):
    """8.00 -> "8", 7.50 -> "7.5", -2.25 -> "-2.25": hours as people write them."""
    if value is None or value == "":
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@register.filter
def cancel_form(booking):
    """The cancel form on a booking's card, with ids of its own: several cards share a page."""
    return CancelForm(auto_id=f"id_cancel_{booking.pk}_%s")

from django import template

register = template.Library()


@register.filter
def hours(value):
    """8.00 -> "8", 7.50 -> "7.5", -2.25 -> "-2.25": hours as people write them."""
    if value is None or value == "":
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")

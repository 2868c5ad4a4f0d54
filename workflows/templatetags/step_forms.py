"""`form|plain_fields`: the fields the shared _form_fields.html lays out one under another; a form
names the prefixes of fields its own template lays out (a criteria table, a day-by-day plan)."""
from django import template

register = template.Library()


@register.filter
def plain_fields(form):
    elsewhere = tuple(getattr(form, "laid_out_elsewhere", ()))
    return [field for field in form if not (elsewhere and field.name.startswith(elsewhere))]

"""How shifts read on the rota: local London times, a "+1" when a shift ends the next day, money."""
from decimal import Decimal

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def shift_times(shift):
    start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
    days = (end.date() - start.date()).days
    next_day = f" (+{days})" if days else ""
    hours = shift.hours.quantize(Decimal("0.01")).normalize()
    return f"{start:%H:%M}–{end:%H:%M}{next_day} · {hours:f} h"


@register.filter
def shift_day(value):
    """"Tue 3 Mar" for a day this year, "Tue 3 Mar 2027" for any other, so a date is never misread."""
    day = timezone.localtime(value).date() if hasattr(value, "hour") else value
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == timezone.localdate().year else f"{text} {day.year}"


@register.filter
def money(value):
    return "" if value is None else f"£{value:,.2f}"

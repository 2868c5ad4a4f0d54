"""The pay-period page and the payroll bureau's CSV export (budget holder and coordinator)."""
import csv
import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from care.audit import record_staff_view
from care.permissions import recipient_permission_required

from .payroll import pay_summary

# The export's columns, in order (docs/employment.md documents each): (header, value of a PayLine).
COLUMNS = [
    ("pa_name", lambda line: line.name),
    ("pa_reference", lambda line: f"PA-{line.pa.pk}"),
    ("contract", lambda line: line.terms.contract if line.terms else ""),
    ("pay_period", lambda line: line.terms.pay_period if line.terms else ""),
    ("hourly_rate", lambda line: line.terms.hourly_rate if line.terms else ""),
    ("shifts", lambda line: line.shifts),
    ("day_hours", lambda line: line.hours["day"]),
    ("waking_night_hours", lambda line: line.hours["waking_night"]),
    ("respite_hours", lambda line: line.hours["respite"]),
    ("hospital_hours", lambda line: line.hours["hospital"]),
    ("sleep_ins", lambda line: line.sleep_ins),
    ("sleep_in_woken_hours", lambda line: line.woken_hours),
    ("night_hours", lambda line: line.night_hours),
    ("weekend_uplift_hours", lambda line: line.weekend_hours),
    ("bank_holiday_uplift_hours", lambda line: line.bank_holiday_hours),
    ("basic_pay", lambda line: line.basic),
    ("uplift_pay", lambda line: line.uplift),
    ("sleep_in_pay", lambda line: line.sleep_in_pay),
    ("holiday_hours_taken", lambda line: line.holiday_hours),
    ("holiday_pay", lambda line: line.holiday_pay),
    ("holiday_hours_accrued", lambda line: line.accrued_hours),
    ("sickness_days", lambda line: line.sickness_days),
    ("ssp_days", lambda line: line.ssp_days),
    ("gross_pay", lambda line: line.gross),
]
# Summed on the TOTAL row; the others are blank there.
TOTALLED = {"shifts", "day_hours", "waking_night_hours", "respite_hours", "hospital_hours", "sleep_ins",
            "sleep_in_woken_hours", "night_hours", "weekend_uplift_hours", "bank_holiday_uplift_hours", "basic_pay",
            "uplift_pay", "sleep_in_pay", "holiday_hours_taken", "holiday_pay", "holiday_hours_accrued",
            "sickness_days", "ssp_days", "gross_pay"}


def _date(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _cell(value):
    """Spreadsheets run a cell starting = + - @ as a formula: a name never does."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _month(today):
    first = today.replace(day=1)
    return first, (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@require_GET
@recipient_permission_required("view_budget")
def pay_period(request, recipient):
    default_first, default_last = _month(timezone.localdate())
    first = _date(request.GET.get("from")) if "from" in request.GET else default_first
    last = _date(request.GET.get("to")) if "to" in request.GET else default_last
    try:
        summary = pay_summary(recipient, first, last)
    except ValidationError as refusal:
        return render(request, "rota/pay_period.html", {
            "recipient": recipient, "errors": refusal.messages, "first": default_first, "last": default_last,
        }, status=400)
    record_staff_view(request, recipient, "Pay period")
    totals = {header: summary.total(attr) for header, attr in (
        ("basic", "basic"), ("uplift", "uplift"), ("sleep_in_pay", "sleep_in_pay"), ("holiday_pay", "holiday_pay"))}
    return render(request, "rota/pay_period.html", {
        "recipient": recipient, "summary": summary, "first": first, "last": last, "totals": totals,
    })


@require_GET
@recipient_permission_required("view_budget")
def export(request, recipient):
    first, last = _date(request.GET.get("from")), _date(request.GET.get("to"))
    try:
        summary = pay_summary(recipient, first, last)
    except ValidationError as refusal:
        return HttpResponse(" ".join(refusal.messages) + " Use ?from=YYYY-MM-DD&to=YYYY-MM-DD.\n", status=400,
                            content_type="text/plain; charset=utf-8")
    record_staff_view(request, recipient, f"Pay export {first}–{last}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pay-{recipient.pk}-{first}-{last}.csv"'
    writer = csv.writer(response)
    writer.writerow(["period_from", "period_to", *(header for header, _value in COLUMNS)])
    for line in summary.lines:
        writer.writerow([first, last, *(_cell(value(line)) for _header, value in COLUMNS)])
    totals = {header: sum((value(line) for line in summary.lines), 0) for header, value in COLUMNS
              if header in TOTALLED}
    writer.writerow([first, last, *("TOTAL" if header == "pa_name" else totals.get(header, "")
                                    for header, _value in COLUMNS)])
    return response

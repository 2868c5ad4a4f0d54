"""The quarterly PHB return: a CSV in the documented column order and a printable page.
Coordinators count the families they coordinate, staff count every family; nobody else may."""
import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import phb_return
from ..models import CareRecipient
from ..permissions import recipients_for

INVALID = 400


def _scope(user):
    """Whose budgets this user's return counts: staff every family, a coordinator their caseload."""
    if user.is_staff:
        return CareRecipient.objects.all(), "every family"
    families = recipients_for(user, "coordinate")
    if not families.exists():
        raise PermissionDenied("The quarterly return is for PHB coordinators and staff.")
    return families, "the families you coordinate"


@require_GET
@login_required
def return_csv(request):
    families, _ = _scope(request.user)
    today = timezone.localdate()
    if "quarter" not in request.GET:
        example = phb_return.last_ended_quarter(today)
        return HttpResponse(f"Say which quarter: ?quarter={example} for {example.dates}.\n",
                            status=INVALID, content_type="text/plain; charset=utf-8")
    try:
        quarter = phb_return.parse_quarter(request.GET["quarter"], today=today)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages) + "\n", status=INVALID, content_type="text/plain; charset=utf-8")
    result = phb_return.quarterly_return(families, quarter)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="phb-return-{quarter}.csv"'
    writer = csv.writer(response)
    writer.writerow(phb_return.COLUMNS)
    for line in result.lines:
        writer.writerow(line.csv_row(quarter))
    return response


@require_GET
@login_required
def return_page(request):
    families, scope = _scope(request.user)
    today = timezone.localdate()
    asked = request.GET.get("quarter", "").strip()[:20]
    error, result = None, None
    try:
        quarter = phb_return.parse_quarter(asked, today=today) if asked else phb_return.last_ended_quarter(today)
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    else:
        result = phb_return.quarterly_return(families, quarter)
        asked = str(quarter)
    return render(request, "care/phb_return.html", {
        "result": result, "error": error, "asked": asked, "scope": scope,
        "columns": phb_return.COLUMNS, "is_staff": request.user.is_staff, "last_ended": phb_return.last_ended_quarter(today),
    }, status=INVALID if error else 200)

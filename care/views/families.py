"""A coordinator's caseload (what needs them, family by family, most urgent first) and setting up
a new family."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import caseload as attention
from .. import queries
from ..families import create_family
from ..forms import FamilyForm, apply_service_errors
from ..models import CareRecipient
from ..permissions import may_create_family, recipients_for

PAGE_SIZE = 25


def _coordinators_only(user):
    if not may_create_family(user):
        raise PermissionDenied("The caseload is for PHB coordinators.")


@require_GET
@login_required
def caseload(request):
    """The families this coordinator coordinates (staff: every family), those with the most urgent
    things needing attention first: filter by what needs attention, search by name or NHS number.

    Every source of attention (care.caseload) is asked once for all the families in view, then
    one page of 25 families is loaded: the query count does not grow with the caseload."""
    _coordinators_only(request.user)
    search = request.GET.get("q", "").strip()[:100]
    kinds = attention.kinds()
    kind = request.GET.get("what", "")
    if kind not in dict(kinds):
        kind = ""
    scope = CareRecipient.objects.all() if request.user.is_staff else recipients_for(request.user, "coordinate")
    matching = queries.search_families(scope, search)
    names = list(matching.order_by("display_name", "pk").values_list("pk", "display_name"))
    found = attention.needs_attention(matching.values("pk"), today=timezone.localdate(), kind=kind)
    order = attention.in_urgency_order(names, found)
    if kind:
        order = [pk for pk in order if pk in found]
    page = Paginator(order, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = queries.caseload(CareRecipient.objects.filter(pk__in=page.object_list)).in_bulk()
    rows = [(shown[pk], found.get(pk, [])) for pk in page.object_list]
    return render(request, "care/caseload.html", {
        "page": page, "rows": rows, "q": search, "kinds": kinds, "kind": kind,
        "needing": sum(1 for pk, _name in names if pk in found),
    })


@login_required
def family_create(request):
    _coordinators_only(request.user)
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recipient, invitation = create_family(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error, rename=FamilyForm.HOLDER_FIELDS)
        else:
            messages.success(request, f"{recipient.display_name} is set up and {invitation.full_name} has been "
                                      "invited as budget holder.")
            return redirect("circle", recipient.pk)
    return render(request, "care/family_create.html", {"form": form})

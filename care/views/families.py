"""A coordinator's caseload and setting up a new family."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import queries
from ..families import create_family
from ..forms import FamilyForm, apply_service_errors
from ..permissions import may_create_family, recipients_for

PAGE_SIZE = 25


def _coordinators_only(user):
    if not may_create_family(user):
        raise PermissionDenied("The caseload is for PHB coordinators.")


@require_GET
@login_required
def caseload(request):
    """The families this coordinator coordinates: search by name or NHS number, 25 a page."""
    _coordinators_only(request.user)
    search = request.GET.get("q", "").strip()[:100]
    families = queries.caseload(recipients_for(request.user, "coordinate"), search)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/caseload.html", {"page": page, "q": search})


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

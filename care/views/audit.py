"""The coordinator's audit page: read-only, 50 rows a page, filtered by person and kind."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import audit
from ..permissions import get_recipient_or_404, recipients_for

PAGE_SIZE = 50


@login_required
@require_GET
def audit_log(request):
    families = recipients_for(request.user, "coordinate").order_by("display_name")
    if not families.exists():
        raise PermissionDenied("The audit log is for PHB coordinators.")
    recipient = None
    if request.GET.get("person", "").isdigit():
        recipient = get_recipient_or_404(request.user, int(request.GET["person"]), "coordinate")
    kind = request.GET.get("kind", "")
    if kind not in audit.KINDS:
        kind = ""
    events = audit.trail_for(request.user, recipient=recipient, kind=kind)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/audit.html", {
        "page": page, "families": families, "recipient": recipient, "kind": kind,
        "kinds": [(key, label) for key, (label, _) in audit.KINDS.items()],
    })

"""The texts sent to a family's circle, for its budget holder and coordinator.

Bodies are shown without their links: a ward's review link or a pending invitation's is a key
for its addressee only. The page lives in care because who may read a circle's texts is a
circle question; notifications only keeps the messages (`Message.objects.for_circle`)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.models import Message
from notifications.redaction import without_links

from ..audit import record_staff_view
from ..permissions import can, get_recipient_or_404

PER_PAGE = 25


@require_GET
@login_required
def circle_messages(request, recipient_pk):
    recipient = get_recipient_or_404(request.user, recipient_pk)
    if not (can(request.user, "view_budget", recipient) or can(request.user, "manage_circle", recipient)):
        raise PermissionDenied("Only the budget holder and the coordinator see the circle's texts.")
    record_staff_view(request, recipient, "Texts")
    page = Paginator(Message.objects.for_circle(recipient), PER_PAGE).get_page(request.GET.get("page"))
    for message in page.object_list:
        # The texts were sent to others: their links (single-use tokens) are for them alone.
        message.shown_body = without_links(message.body)
    return render(request, "care/messages.html", {"recipient": recipient, "page": page})

"""Twilio's two webhooks and the list of texts sent to a circle."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from twilio.twiml.messaging_response import MessagingResponse

from care.permissions import can, get_recipient_or_404

from . import services
from .models import Message
from .webhooks import signature_is_valid

PER_PAGE = 25


@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not signature_is_valid(request):
        return HttpResponseForbidden("Invalid Twilio signature.")
    reply = services.receive_text(
        number=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
        provider_id=request.POST.get("MessageSid", ""),
    )
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return HttpResponse(str(twiml), content_type="text/xml")


@csrf_exempt
@require_POST
def twilio_status(request):
    if not signature_is_valid(request):
        return HttpResponseForbidden("Invalid Twilio signature.")
    message_pk = request.GET.get("message", "")
    services.record_status(
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus") or request.POST.get("SmsStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
        message_pk=int(message_pk) if message_pk.isdigit() else None,
    )
    return HttpResponse(status=204)


@require_GET
@login_required
def circle_messages(request, recipient_pk):
    recipient = get_recipient_or_404(request.user, recipient_pk)
    if not (can(request.user, "view_budget", recipient) or can(request.user, "manage_circle", recipient)):
        raise PermissionDenied("Only the budget holder and the coordinator see the circle's texts.")
    page = Paginator(Message.objects.for_circle(recipient), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/circle_messages.html", {"recipient": recipient, "page": page})

"""Twilio's two webhooks. (The page of a circle's texts is care's: care/views/messages.py.)"""
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.twiml.messaging_response import MessagingResponse

from . import services
from .webhooks import signature_is_valid


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


"""Project-wide request hygiene: security headers Django 5.2 doesn't set itself, and what nobody
types on purpose (a NUL character, an id too large for the database) answered as a 4xx."""
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


NUL = "\x00"
NUL_REFUSED = "This request contains a NUL character, which no page accepts. Remove it and try again.\n"


def _has_nul(query_dict):
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


class HostileInputMiddleware:
    """A NUL anywhere in the path, the query string or a form body is a 400 before any view runs.

    PostgreSQL cannot store or even compare a string holding NUL (psycopg raises "A string literal
    cannot contain NUL (0x00) bytes"), so one reaching a query is a 500 from whichever page was asked; no form
    field, id, token or search means anything with one. This runs before the sessions and the
    views, so Twilio's webhooks too answer a signed text with a NUL in From, Body or MessageSid with
    400 and process nothing (Twilio never sends one; a 4xx makes it give up instead of retrying).

    An integer too large for the database in a URL (`<int:pk>` accepts any size) is a 404, the
    answer to any id that matches nothing: SQLite cannot even bind it and raises OverflowError
    ("Python int too large to convert to SQLite INTEGER") from the query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError) and "too large to convert" in str(exception):
            raise Http404("No such record.") from exception
        return None

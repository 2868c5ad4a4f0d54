"""Walk every URL pattern the project defines, as every demo role of family one, against
family two's objects: nothing of family two may come back with a 200.

The same walk, also as family two's own people and the admin (GET only: they may act on these
objects), proves that no response shows a live token (an invitation or ward review link, a
calendar address) to anyone but the person it was sent to.

New pages are covered automatically. A pattern with a URL argument this test cannot fill
fails loudly: add a family-two object for it to FAMILY_TWO_OBJECTS below.
"""
import datetime
import importlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from care import invitations
from care.models import CareRecipient, Invitation, Profile
from notifications.models import Message
from rota import ical
from rota.models import CalendarFeed
from workflows.hospital import driving as hospital

FAMILY_ONE_ROLES = ["parent", "grandparent", "pa1", "pa2", "pa3", "nurse", "ward", "coordinator"]
# Walked for tokens only: on their own family's objects they rightly get 200s.
TOKEN_ONLY_ROLES = ["other-parent", "other-pa", "other-nurse", "admin"]

# Patterns that are not about anyone's family, or that belong to Django itself.
SKIP_PREFIXES = ("admin/", "static/")


def family_two_recipient(cast):
    return cast["recipient"].pk


# URL argument name -> how to find family two's object for it (a function of `cast`).
# Each app adds its own in tests/<app>/family_two.py as OBJECTS = {"shift_pk": fn, ...}.
# Where one argument name means different objects under different routes (two flows both take
# `process_pk`), an app adds ROUTE_OBJECTS = {"route/prefix/": {"process_pk": fn}}.
FAMILY_TWO_OBJECTS = {"recipient_pk": family_two_recipient}
ROUTE_OBJECTS = {}
for _app in ["care", "accounts", "notifications", "competencies", "employment", "workflows", "rota", "respite"]:
    try:
        _module = importlib.import_module(f"tests.{_app}.family_two")
    except ModuleNotFoundError as exc:
        if exc.name != f"tests.{_app}.family_two":
            raise
    else:
        FAMILY_TWO_OBJECTS.update(_module.OBJECTS)
        ROUTE_OBJECTS.update(getattr(_module, "ROUTE_OBJECTS", {}))


def iter_patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from iter_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def fill(route, cast):
    """Turn 'people/<int:recipient_pk>/' into a concrete family-two path."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    objects = dict(FAMILY_TWO_OBJECTS)
    for prefix in sorted((p for p in ROUTE_OBJECTS if route.startswith(p)), key=len):
        objects.update(ROUTE_OBJECTS[prefix])
    for name in names:
        if name not in objects:
            pytest.fail(f"{route!r}: no family-two object for URL argument {name!r}; add one to FAMILY_TWO_OBJECTS")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(objects[m.group(1)](cast)), route)
    return "/" + path.lstrip("^").rstrip("$"), bool(names)


@pytest.fixture
def cast(db):
    call_command("seed_demo")
    recipient = CareRecipient.objects.get(nhs_number="4010232137")
    users = get_user_model().objects.in_bulk(["other-parent", "other-pa", "pa1"], field_name="username")
    # Live links texted in family two: its pending invitation sent again, and a hospital agreement
    # whose ward contact reviews by a link sent to their mobile. pa1 of family one gets a calendar.
    invitations.resend(invitation=Invitation.objects.get(recipient=recipient, status=Invitation.Status.PENDING),
                       actor=users["other-parent"])
    hospital.start_as(
        actor=users["other-parent"], recipient=recipient, hospital="York Hospital (test)", ward="Ward 3",
        ward_contact_name="Ward 3 desk", ward_contact_mobile="+447700900398",
        admission_date=timezone.localdate(), expected_discharge=timezone.localdate() + datetime.timedelta(days=3),
        pas=[users["other-pa"]], support=["communication"],
    )
    ical.new_feed(pa=users["pa1"])
    return {"recipient": recipient}


LINK_TOKEN = re.compile(r"/(?:join|ward)/([\w-]{16,})/")


def live_tokens():
    """Every token in a link we sent (texts and emails) or a calendar address, with the user it
    belongs to (None when its addressee has no account: a ward contact, someone invited)."""
    by_mobile = dict(Profile.objects.exclude(mobile="").values_list("mobile", "user_id"))
    by_email = {email.lower(): pk for pk, email in get_user_model().objects.exclude(email="").values_list("pk", "email")}
    tokens = {}
    for user_id, to, body in Message.objects.values_list("user_id", "to", "body"):
        for token in LINK_TOKEN.findall(body):
            tokens[token] = user_id or by_mobile.get(to)
    for email in mail.outbox:
        for token in LINK_TOKEN.findall(email.body):
            tokens[token] = next((by_email[a.lower()] for a in email.to if a.lower() in by_email), None)
    tokens.update(CalendarFeed.objects.filter(revoked_at__isnull=True).values_list("token", "pa_id"))
    return tokens


def test_no_page_shows_family_two_to_family_one_nor_anyone_a_token_of_someone_elses(client, cast):
    markers = ["Bea Sample", "4010232137", "401 023 2137", "Drew Elm", "Kim Sample", "Jamie Fir"]
    routes = [(r, p) for r, p in iter_patterns(get_resolver()) if not r.startswith(SKIP_PREFIXES)]
    assert len(routes) >= 3
    assert len(live_tokens()) >= 4  # the walk has a texted invitation, a ward link and two calendars to find
    leaks = []
    for username in FAMILY_ONE_ROLES + TOKEN_ONLY_ROLES:
        user = get_user_model().objects.get(username=username)
        for route, _pattern in routes:
            if "(?P<" in route:
                pytest.fail(f"{route!r} is a regex pattern; give it a path() route so this test can fill it")
            path, has_object = fill(route, cast)
            # A token the requester put in the URL may come back (a "log in to continue" link).
            others = [t for t, owner in live_tokens().items() if owner != user.pk and t not in path]
            # For tokens a crash is no leak (its page shows nothing); family one's walk still raises.
            client.raise_request_exception = username not in TOKEN_ONLY_ROLES
            for method in ("get",) if username in TOKEN_ONLY_ROLES else ("get", "post"):
                client.force_login(user)  # a POST to logout/ must not end the walk
                response = getattr(client, method)(path)
                content = response.content.decode(errors="replace")
                if any(token in content for token in others):
                    leaks.append(f"{username} {method.upper()} {path} shows someone else's live token")
                if username in TOKEN_ONLY_ROLES:
                    continue
                body = content if response.status_code == 200 else ""
                if has_object and response.status_code in (200, 201, 204) or (
                    response.status_code == 302 and has_object and method == "post"
                ):
                    leaks.append(f"{username} {method.upper()} {path} -> {response.status_code}")
                elif any(marker in body for marker in markers):
                    leaks.append(f"{username} {method.upper()} {path} shows family two's data")
    assert leaks == []

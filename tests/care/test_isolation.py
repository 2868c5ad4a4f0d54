"""Walk every URL pattern the project defines, as every demo role of family one, against
family two's objects: nothing of family two may come back with a 200.

New pages are covered automatically. A pattern with a URL argument this test cannot fill
fails loudly: add a family-two object for it to FAMILY_TWO_OBJECTS below.
"""
import importlib
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from care.models import CareRecipient

FAMILY_ONE_ROLES = ["parent", "grandparent", "pa1", "pa2", "pa3", "nurse", "ward", "coordinator"]

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
for _app in ["care", "accounts", "notifications", "competencies", "workflows", "rota", "respite"]:
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
    return {"recipient": recipient}


def test_no_page_shows_family_two_to_family_one(client, cast):
    from django.contrib.auth import get_user_model

    markers = ["Bea Sample", "4010232137", "401 023 2137", "Drew Elm", "Kim Sample", "Jamie Fir"]
    routes = [(r, p) for r, p in iter_patterns(get_resolver()) if not r.startswith(SKIP_PREFIXES)]
    assert len(routes) >= 3
    leaks = []
    for username in FAMILY_ONE_ROLES:
        user = get_user_model().objects.get(username=username)
        for route, _pattern in routes:
            if "(?P<" in route:
                pytest.fail(f"{route!r} is a regex pattern; give it a path() route so this test can fill it")
            path, has_object = fill(route, cast)
            for method in ("get", "post"):
                client.force_login(user)  # a POST to logout/ must not end the walk
                response = getattr(client, method)(path)
                body = response.content.decode(errors="replace") if response.status_code == 200 else ""
                if has_object and response.status_code in (200, 201, 204) or (
                    response.status_code == 302 and has_object and method == "post"
                ):
                    leaks.append(f"{username} {method.upper()} {path} -> {response.status_code}")
                elif any(marker in body for marker in markers):
                    leaks.append(f"{username} {method.upper()} {path} shows family two's data")
    assert leaks == []

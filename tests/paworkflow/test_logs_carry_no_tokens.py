"""Django's request log writes the path of every refused request ("Forbidden: /join/<token>/"):
the log handler takes the token out, so an operator reading the logs never holds a live link."""
import logging

import pytest

from paworkflow.logs import RedactTokens, without_tokens


@pytest.mark.parametrize("path, shown", [
    ("/join/Zx3_kP9-qq/", "/join/[token]/"),
    ("/workflows/hospital/ward/abcDEF123/", "/workflows/hospital/ward/[token]/"),
    ("/rota/calendar/s3cr3t-feed.ics", "/rota/calendar/[token].ics"),
    ("/reset/MQ/cbx1-0123abcd/", "/reset/MQ/[token]/"),
    ("/people/3/rota/", "/people/3/rota/"),
])
def test_token_paths_are_redacted(path, shown):
    assert without_tokens(f"Forbidden: {path}") == f"Forbidden: {shown}"


@pytest.mark.django_db
def test_the_console_handler_redacts_what_django_request_logs(client, caplog):
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    assert any(isinstance(f, RedactTokens) for f in handler.filters)
    caplog.handler.addFilter(RedactTokens())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/join/a-live-invitation-token-123/")
    assert "/join/[token]/" in caplog.text and "a-live-invitation-token-123" not in caplog.text

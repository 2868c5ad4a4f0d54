"""Twilio's REST API for sending, faked at the transport: the real `twilio` client builds the
request and parses the answer; only the HTTP exchange is scripted here. No network."""
import itertools
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlparse

from twilio.http import HttpClient
from twilio.http.response import Response

_sids = itertools.count(1)


@dataclass
class Sent:
    method: str
    url: str
    data: dict
    auth: tuple


def accept(fake, request):
    """Twilio creates the message: 201 with its SID."""
    sid = f"SM{next(_sids):032x}"
    fake.accepted.append((sid, request))
    payload = {"sid": sid, "status": "accepted" if "MessagingServiceSid" in request.data else "queued",
               "to": request.data.get("To"), "body": request.data.get("Body"), "num_segments": "1"}
    return Response(201, json.dumps(payload))


def error(status, code=None, message="error"):
    def step(fake, request):
        return Response(status, json.dumps({"code": code or status, "message": message, "status": status,
                                            "more_info": f"https://www.twilio.com/docs/errors/{code}"}))

    return step


def network_down(fake, request):
    import requests

    raise requests.ConnectionError("connection refused")


class WorkerDied(Exception):
    """Stands for a worker process killed mid-send: nothing after the API call runs."""


def accept_then_die(fake, request):
    accept(fake, request)
    raise WorkerDied()


def die_before_reaching_twilio(fake, request):
    raise WorkerDied()


class FakeTwilio(HttpClient):
    """Answers each request with the next step of `script` (default: accept)."""

    def __init__(self, *script):
        super().__init__(logging.getLogger("tests.fake_twilio"), is_async=False)
        self.script = list(script)
        self.requests = []
        self.accepted = []

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        sent = Sent(method, url, dict(data or {}), auth)
        self.requests.append(sent)
        step = self.script.pop(0) if self.script else accept
        return step(self, sent)

    @property
    def bodies(self):
        return [request.data["Body"] for _sid, request in self.accepted]

    def path_of(self, index=-1):
        return urlparse(self.requests[index].url).path

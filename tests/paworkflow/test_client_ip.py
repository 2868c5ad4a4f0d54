"""One answer to "who is asking?" for every throttle: `paworkflow.client.client_ip`.

Without BEHIND_TLS_PROXY nobody is in front of us, so X-Forwarded-For is whatever the client
typed and is ignored. Behind the proxy, only the addresses our own proxies appended count: the
TRUSTED_PROXY_COUNT-th from the right. Anything to the left of it came from the client.
"""
import pytest
from django.test import RequestFactory

from paworkflow.client import client_ip

PROXY = "10.0.0.2"


def request_with(forwarded=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


@pytest.mark.parametrize("forwarded", [None, "", "1.2.3.4", "1.2.3.4, 5.6.7.8", "not-an-address"])
def test_without_a_proxy_the_forwarded_header_is_ignored(settings, forwarded):
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request_with(forwarded, remote="198.51.100.7")) == "198.51.100.7"


def test_behind_one_proxy_the_address_it_appended_is_the_client(behind_proxy):
    # The client typed "1.2.3.4"; our proxy appended the address it saw (203.0.113.9).
    assert client_ip(request_with("1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_with("203.0.113.9")) == "203.0.113.9"


def test_behind_one_proxy_a_spoofed_header_cannot_choose_the_address(behind_proxy):
    seen = {client_ip(request_with(f"9.9.9.{i}, 8.8.8.{i}, 203.0.113.9")) for i in range(20)}
    assert seen == {"203.0.113.9"}


def test_behind_two_proxies_the_address_the_outer_one_appended_is_the_client(behind_proxy):
    behind_proxy.TRUSTED_PROXY_COUNT = 2
    # client typed 1.2.3.4; the outer proxy appended 203.0.113.9, the inner one the outer's address.
    assert client_ip(request_with("1.2.3.4, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", " , ", "not-an-address", "1.2.3.4, <script>"])
def test_behind_a_proxy_a_missing_or_garbled_header_falls_back_to_the_peer(behind_proxy, forwarded):
    assert client_ip(request_with(forwarded)) == PROXY


def test_behind_two_proxies_too_short_a_header_falls_back_to_the_peer(behind_proxy):
    behind_proxy.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_with("1.2.3.4")) == PROXY


def test_ipv6_addresses_are_understood(behind_proxy):
    assert client_ip(request_with("1.2.3.4, 2001:db8::7")) == "2001:db8::7"


def test_django_axes_and_the_text_throttles_ask_the_same_function(settings):
    from accounts import throttle

    assert settings.AXES_CLIENT_IP_CALLABLE == "paworkflow.client.client_ip"
    assert throttle.client_ip is client_ip

"""Who is asking: the one answer every throttle (django-axes' login lockout, accounts' text and
email limits) uses for the client's address."""
import ipaddress

from django.conf import settings


def client_ip(request):
    """The address of the client, as far as we can trust it.

    Without BEHIND_TLS_PROXY nothing stands in front of us, so X-Forwarded-For is whatever the
    client typed: only the peer's address (REMOTE_ADDR) counts. Behind the proxy, each of our
    TRUSTED_PROXY_COUNT proxies appends the address it saw, so the client is that many entries
    from the right; everything further left was written by the client and is ignored. A header
    too short or garbled to hold that entry was not built by our proxies: the peer counts then.
    The web process must not rewrite REMOTE_ADDR from the header itself (daphne's
    --proxy-headers takes the left-most, client-chosen, entry): deploy/Procfile runs without it.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_TLS_PROXY:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1 or len(hops) < count:
        return peer
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer

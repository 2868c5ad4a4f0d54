"""Fixed-window counters in the cache (Redis in production) to slow down guessing and text-bombing."""
from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    # REMOTE_ADDR is the load balancer's address behind a proxy; django-axes (login) reads
    # X-Forwarded-For there, and so do we, trusting only the last hop it added.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.SECURE_PROXY_SSL_HEADER:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(scope, key, *, limit, window):
    """Count one attempt for (scope, key); True while the count is within `limit` per `window` seconds."""
    name = f"throttle:{scope}:{key}"
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window)
        count = 1
    return count <= limit


def allowed(checks):
    """Count an attempt against every (scope, key, limit, window); allowed only if all are within limits.

    Every counter is incremented, so probing one number from many addresses, or many
    numbers from one address, is slowed either way.
    """
    results = [hit(scope, key, limit=limit, window=window) for scope, key, limit, window in checks]
    return all(results)

"""Fixed-window counters in the cache (Redis in production) to slow down guessing and text-bombing."""
from django.core.cache import cache

from paworkflow.client import client_ip  # noqa: F401  the address django-axes counts too


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

"""The state of the parts the app needs, for /healthz and operators' monitoring."""
import asyncio

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database(connection):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "engine": connection.vendor}
    except Exception as exc:
        return {"ok": False, "engine": connection.vendor, "error": exc.__class__.__name__}


def _check_channel_layer():
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    backend = layer.__class__.__name__

    async def round_trip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "healthz.ping"})
        await asyncio.wait_for(layer.receive(channel), timeout=2)

    try:
        if settings.REDIS_URL:
            # The Redis layers keep connections per event loop; pinging the server they use
            # says as much without leaving a subscription behind on a throwaway loop.
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
        else:
            async_to_sync(round_trip)()
        return {"ok": True, "backend": backend}
    except Exception as exc:
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}


def _check_broker():
    from paworkflow.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "embedded (tasks run in the server process after commit)"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "broker", "transport": app.conf.broker_url.split("://")[0]}
    except Exception as exc:
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}


def health_report(connection):
    report = {
        "database": _check_database(connection),
        "channel_layer": _check_channel_layer(),
        "broker": _check_broker(),
    }
    report["status"] = "ok" if all(part["ok"] for part in report.values()) else "degraded"
    if not report["database"]["ok"]:
        report["status"] = "down"
    return report


@never_cache
@require_GET
def healthz(request):
    report = health_report(connection)
    return JsonResponse(report, status=200 if report["database"]["ok"] else 503)

"""Serve HTTP and WebSockets with daphne and run the periodic jobs in the same process.

Embedded mode has no Redis, so the in-memory channel layer only reaches sockets in
this process. Celery tasks therefore run eagerly after commit inside the request,
and the scheduler runs as a coroutine on daphne's own event loop; both broadcast
on the loop that holds the sockets.
"""
import asyncio
import logging
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Serve the app (HTTP + WebSockets) with the embedded scheduler, for `make run`."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--scheduler-interval", type=int, default=60, help="seconds between periodic runs")

    def handle(self, *args, host, port, scheduler_interval, **options):
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server  # installs the asyncio reactor
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from twisted.internet import reactor

        # Here the static files handler below serves /static/ from the apps' folders; WhiteNoise
        # (for production, after collectstatic) only needs its folder to exist.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

        from paworkflow.asgi import application
        from paworkflow.periodic import run_all

        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stderr.write("REDIS_URL is set: run a Celery worker and beat beside this server (see README).")

        async def scheduler():
            while True:
                try:
                    await sync_to_async(run_all, thread_sensitive=True)()
                except Exception:
                    log.exception("embedded scheduler run failed")
                await asyncio.sleep(scheduler_interval)

        if settings.CELERY_TASK_ALWAYS_EAGER:
            reactor.callWhenRunning(lambda: asyncio.ensure_future(scheduler()))

        app = application
        app.application_mapping["http"] = ASGIStaticFilesHandler(app.application_mapping["http"])
        self.stdout.write(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
        Server(
            application=app,
            endpoints=build_endpoint_description_strings(host=host, port=port),
            signal_handlers=True,
            verbosity=1,
        ).run()

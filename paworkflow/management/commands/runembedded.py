"""Serve HTTP and WebSockets with daphne and run the periodic jobs in the same process.

Embedded mode has no Redis, so the in-memory channel layer only reaches sockets in
this process. Celery tasks therefore run eagerly after commit inside the request,
and the scheduler runs as a coroutine on daphne's own event loop; both broadcast
on the loop that holds the sockets. The scheduler runs each job at the interval it declares
(`@every(seconds)`), as beat does in production.
"""
import asyncio
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the app (HTTP + WebSockets) with the embedded scheduler, for `make run`."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--scheduler-interval", type=int, default=1,
                            help="least seconds between the scheduler's wake-ups; each job still waits its own interval")

    def handle(self, *args, host, port, scheduler_interval, **options):
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server  # installs the asyncio reactor
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from twisted.internet import reactor

        # Here the static files handler below serves /static/ from the apps' folders; WhiteNoise
        # (for production, after collectstatic) only needs its folder to exist.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

        from paworkflow.asgi import application
        from paworkflow.periodic import Schedule

        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stderr.write("REDIS_URL is set: run a Celery worker and beat beside this server (see README).")

        async def scheduler():
            schedule = Schedule()  # a failing job is logged there and the others still run
            while True:
                await sync_to_async(schedule.run_due, thread_sensitive=True)()
                await asyncio.sleep(max(schedule.seconds_to_next(), scheduler_interval))

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

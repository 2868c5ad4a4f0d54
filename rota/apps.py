from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = "PA rota"

    def ready(self):
        from notifications import replies

        # caseload rows, home section, periodic jobs, signal receivers, timesheet replies
        from . import caseload, home, jobs, receivers, services, timesheets  # noqa: F401

        replies.register(("YES", "NO"), services.handle_sms_reply)
        replies.register("OK", timesheets.handle_ok_reply)

from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = "PA rota"

    def ready(self):
        from notifications import replies

        from . import home, jobs, receivers, services, timesheets  # noqa: F401  home section, periodic jobs, signal receivers

        replies.register(("YES", "NO"), services.handle_sms_reply)
        replies.register("OK", timesheets.handle_ok_reply)

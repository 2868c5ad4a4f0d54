from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "rota"
    verbose_name = "PA rota"

    def ready(self):
        from notifications import replies

        from . import home, receivers, services, tasks  # noqa: F401  home section, signal receivers, periodic jobs

        replies.register(("YES", "NO"), services.handle_sms_reply)

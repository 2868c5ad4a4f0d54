from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Text messages"

    def ready(self):
        from . import checks, replies, services  # noqa: F401  system checks, the registry, periodic jobs

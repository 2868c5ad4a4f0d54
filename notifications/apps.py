from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Text messages"

    def ready(self):
        # System checks, the reply registry, the periodic jobs, and the send task (services look it up by name).
        from . import checks, jobs, replies, tasks  # noqa: F401

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "care"
    verbose_name = "People and circles"

    def ready(self):
        from . import jobs  # noqa: F401  registers the periodic job
        from . import permissions  # noqa: F401  connects the receiver that clears a deleted membership's rights

from django.apps import AppConfig


class RespiteConfig(AppConfig):
    name = "respite"
    verbose_name = "Respite hours"

    def ready(self):
        from . import home, jobs, receivers  # noqa: F401  home section, periodic jobs, signal receivers

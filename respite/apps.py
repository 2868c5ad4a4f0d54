from django.apps import AppConfig


class RespiteConfig(AppConfig):
    name = "respite"
    verbose_name = "Respite hours"

    def ready(self):
        from . import caseload, home, jobs, receivers  # noqa: F401  caseload rows, home section, jobs, receivers

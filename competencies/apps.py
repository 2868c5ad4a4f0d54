from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "competencies"

    def ready(self):
        from . import home, receivers  # noqa: F401  registers the home section and signal receivers

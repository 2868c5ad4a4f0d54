from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    """One app (label "workflows") for both flows: their models, migrations and Viewflow's stored
    references stay under it, whichever package a flow's code lives in."""

    name = "workflows"

    def ready(self):
        # each flow's admin, home section, periodic job and receivers; and its URL viewset,
        # built here so node.reverse() works before the first request (shell, jobs, tests)
        from .delegation import admin, caseload, home, jobs, receivers, urls  # noqa: F401
        from .hospital import admin, caseload, home, jobs, urls  # noqa: F401, F811

from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"

    def ready(self):
        # the flow, its admin, receivers, home section and periodic job; and its URL viewset,
        # built here so node.reverse() works before the first request (shell, jobs, tests)
        from . import (  # noqa: F401
            delegation,
            delegation_admin,
            delegation_home,
            delegation_jobs,
            delegation_receivers,
            delegation_urls,
            hospital,
            hospital_admin,
            hospital_home,
            hospital_jobs,
            hospital_urls,
        )

"""What every flow's URLs share: Viewflow's node views (claim, execute, detail) mounted under our
own pages, each behind a guard that answers first.

Viewflow's task views check the step's permission but fetch the task by its own id, and its
process pages ask model permissions; the guard asks the flow's own `may_view` instead: 404
unless the user may see this process and the task belongs to the process in the URL. A step's
detail page opened by staff goes in the audit log, as the process pages do.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver
from viewflow.workflow.flow import FlowViewset

from care.audit import record_staff_view

# Viewflow's repair actions would rewrite a clinical history (undo a sign-off, revive a declined
# step); decisions here are records, so corrections are new steps, and these are not mounted.
REPAIR_ACTIONS = {"undo", "revive", "cancel"}


class GuardedFlowViewset(FlowViewset):
    """Subclasses set `process_model`, `may_view` (a `staticmethod(fn(user, process))`),
    `process_name`, what a 404 calls the process, and `record_name`, what the audit log calls it."""

    parent_namespace = "workflows"
    process_model = None
    process_name = "process"
    record_name = "Process"

    # our pages instead of Viewflow's dashboard, lists and charts (which ask model permissions)
    process_list_path = None
    process_cancel_path = None
    task_list_path = None
    chart_path = None
    flow_chart_path = None

    # Viewflow 2.4 has no public hook to wrap or drop the node URLs a FlowViewset mounts:
    # `_get_urls` is where it builds them (workflow/flow/viewset.py), so the guard goes on there.
    def _get_urls(self):
        return self._guard(super()._get_urls())

    def _guard(self, patterns, node_name=None):
        patterns[:] = [p for p in patterns if not (isinstance(p, URLPattern) and p.name in REPAIR_ACTIONS)]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                # each node's URLs are included under the node's name as namespace (Viewflow 2.4)
                self._guard(pattern.url_patterns, node_name=pattern.namespace or node_name)
            elif "process_pk" in pattern.pattern.converters:
                pattern.callback = self._visible_only(pattern.callback, audited=pattern.name == "detail",
                                                      node_name=node_name)
        return patterns

    def _visible_only(self, view, audited=False, node_name=None):
        @wraps(view)
        def guarded(request, *args, process_pk, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            process = self.process_model.objects.select_related("recipient").filter(pk=process_pk).first()
            if process is None or not self.may_view(request.user, process):
                raise Http404(f"No such {self.process_name}.")
            task_pk = kwargs.get("task_pk")
            task = None if task_pk is None else process.task_set.filter(pk=task_pk).first()
            # A step's URL answers only for a task of that step: Viewflow would otherwise activate
            # whatever task the id names (a Handle has no claim or detail page: a 500).
            if task_pk is not None and (task is None or (node_name and task.flow_task.name != node_name)):
                raise Http404(f"No such step in this {self.process_name}.")
            response = view(request, *args, process_pk=process_pk, **kwargs)
            if audited and task is not None and response.status_code == 200:
                record_staff_view(request, process.recipient,
                                  f"{self.record_name} {process.reference}: {task.flow_task.task_title}")
            return response

        return guarded

"""What every flow's URLs share: Viewflow's node views (claim, execute, detail) mounted under our
own pages, each behind a guard that answers first.

Viewflow's task views check the step's permission but fetch the task by its own id, and its
process pages ask model permissions; the guard asks the flow's own `may_view` instead: 404
unless the user may see this process and the task belongs to the process in the URL.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver
from viewflow.workflow.flow import FlowViewset

# Viewflow's repair actions would rewrite a clinical history (undo a sign-off, revive a declined
# step); decisions here are records, so corrections are new steps, and these are not mounted.
REPAIR_ACTIONS = {"undo", "revive", "cancel"}


class GuardedFlowViewset(FlowViewset):
    """Subclasses set `process_model`, `may_view` (a `staticmethod(fn(user, process))`) and
    `process_name`, what a 404 calls the process."""

    parent_namespace = "workflows"
    process_model = None
    process_name = "process"

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

    def _guard(self, patterns):
        patterns[:] = [p for p in patterns if not (isinstance(p, URLPattern) and p.name in REPAIR_ACTIONS)]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                self._guard(pattern.url_patterns)
            elif "process_pk" in pattern.pattern.converters:
                pattern.callback = self._visible_only(pattern.callback)
        return patterns

    def _visible_only(self, view):
        @wraps(view)
        def guarded(request, *args, process_pk, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            process = self.process_model.objects.select_related("recipient").filter(pk=process_pk).first()
            if process is None or not self.may_view(request.user, process):
                raise Http404(f"No such {self.process_name}.")
            task_pk = kwargs.get("task_pk")
            if task_pk is not None and not process.task_set.filter(pk=task_pk).exists():
                raise Http404(f"No such step in this {self.process_name}.")
            return view(request, *args, process_pk=process_pk, **kwargs)

        return guarded

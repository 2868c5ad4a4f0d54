"""URLs of the delegation flow: Viewflow's node views (claim, execute, detail) under our own
pages, every one of them behind the circle guard.

Viewflow's task views check the step's permission but fetch the task by its own id, and its
process pages ask model permissions; the guard answers first, from care.permissions: 404
unless the user is in the person's circle and the task belongs to the process in the URL.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from viewflow.workflow.flow import FlowViewset

from . import delegation_views as views
from . import permissions
from .delegation import DelegationFlow
from .delegation_models import DelegationProcess


def in_circle_only(view):
    @wraps(view)
    def guarded(request, *args, process_pk, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        process = DelegationProcess.objects.select_related("recipient").filter(pk=process_pk).first()
        if process is None or not permissions.may_view(request.user, process):
            raise Http404("No such delegation.")
        task_pk = kwargs.get("task_pk")
        if task_pk is not None and not process.task_set.filter(pk=task_pk).exists():
            raise Http404("No such step in this delegation.")
        return view(request, *args, process_pk=process_pk, **kwargs)

    return guarded


# Viewflow's repair actions would rewrite a clinical history (undo a sign-off, revive a declined
# step); decisions here are records, so corrections are new steps, and these are not mounted.
REPAIR_ACTIONS = {"undo", "revive", "cancel"}


def guard(patterns):
    patterns[:] = [p for p in patterns if not (isinstance(p, URLPattern) and p.name in REPAIR_ACTIONS)]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            guard(pattern.url_patterns)
        elif "process_pk" in pattern.pattern.converters:
            pattern.callback = in_circle_only(pattern.callback)
    return patterns


class DelegationViewset(FlowViewset):
    parent_namespace = "workflows"

    # our pages instead of Viewflow's dashboard, lists and charts (which ask model permissions)
    index_path = path("", views.inbox, name="index")
    process_detail_path = path("<int:process_pk>/", views.process_detail, name="process_detail")
    process_list_path = None
    process_cancel_path = None
    task_list_path = None
    chart_path = None
    flow_chart_path = None

    def _get_urls(self):
        return guard(super()._get_urls())


delegation_viewset = DelegationViewset(DelegationFlow)

urlpatterns = [
    path("delegation/", delegation_viewset.urls),
    path("inbox/", views.inbox, name="inbox"),
    path("people/<int:recipient_pk>/delegations/", views.delegation_list, name="list"),
]

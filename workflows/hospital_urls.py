"""URLs of the hospital agreement flow: Viewflow's node views under our own pages, every
process URL behind the same guard as delegations (404 unless the user may see this agreement
and the task is its own), plus the agreement's actions, its print copy and the ward's link."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from viewflow.workflow.flow import FlowViewset

from . import hospital_permissions as permissions
from . import hospital_views as views
from .delegation_urls import REPAIR_ACTIONS
from .hospital import HospitalAgreementFlow
from .hospital_models import HospitalAgreement


def may_see_only(view):
    @wraps(view)
    def guarded(request, *args, process_pk, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        agreement = HospitalAgreement.objects.filter(pk=process_pk).first()
        if agreement is None or not permissions.may_view(request.user, agreement):
            raise Http404("No such agreement.")
        task_pk = kwargs.get("task_pk")
        if task_pk is not None and not agreement.task_set.filter(pk=task_pk).exists():
            raise Http404("No such step in this agreement.")
        return view(request, *args, process_pk=process_pk, **kwargs)

    return guarded


class HospitalViewset(FlowViewset):
    parent_namespace = "workflows"

    index_path = path("", views.mine, name="index")
    process_detail_path = path("<int:process_pk>/", views.agreement_detail, name="process_detail")
    process_list_path = None
    process_cancel_path = None
    task_list_path = None
    chart_path = None
    flow_chart_path = None

    print_path = path("<int:agreement_pk>/print/", views.print_agreement, name="print")
    review_path = path("<int:agreement_pk>/review/", views.ward_review, name="review")
    suspend_path = path("<int:agreement_pk>/suspend/", views.suspend, name="suspend")
    resume_path = path("<int:agreement_pk>/resume/", views.resume, name="resume")
    discharge_path = path("<int:agreement_pk>/discharge/", views.discharge, name="discharge")
    expected_path = path("<int:agreement_pk>/expected-discharge/", views.change_expected_discharge, name="expected")
    new_link_path = path("<int:agreement_pk>/new-link/", views.new_link, name="new_link")
    ward_link_path = path("ward/<str:ward_token>/", views.ward_link, name="ward_link")

    def _get_urls(self):
        return _guard(super()._get_urls())


def _guard(patterns):
    """Drop Viewflow's repair actions and put every process_pk view behind may_see_only."""
    patterns[:] = [p for p in patterns if not (isinstance(p, URLPattern) and p.name in REPAIR_ACTIONS)]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _guard(pattern.url_patterns)
        elif "process_pk" in pattern.pattern.converters:
            pattern.callback = may_see_only(pattern.callback)
    return patterns


HospitalAgreementFlow.app_name = "hospital"
hospital_viewset = HospitalViewset(HospitalAgreementFlow)

urlpatterns = [
    path("hospital/", hospital_viewset.urls),
    path("people/<int:recipient_pk>/hospital/", views.agreement_list, name="hospital_list"),
]

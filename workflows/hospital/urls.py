"""URLs of the hospital agreement flow: every process URL behind the same guard as delegations
(guarded_urls), plus the agreement's actions, its print copy and the ward's link."""
from functools import wraps

from django.http import Http404
from django.urls import path

from ..guarded_urls import GuardedFlowViewset
from . import permissions, views
from .flow import HospitalAgreementFlow
from .models import HospitalAgreement


class HospitalViewset(GuardedFlowViewset):
    # the URL namespace (workflows:hospital:…); Viewflow would name it after the class, "hospitalagreement"
    app_name = "hospital"
    process_model = HospitalAgreement
    process_name = "agreement"
    record_name = "Hospital agreement"
    may_view = staticmethod(permissions.may_view)

    index_path = path("", views.mine, name="index")
    process_detail_path = path("<int:process_pk>/", views.agreement_detail, name="process_detail")

    print_path = path("<int:agreement_pk>/print/", views.print_agreement, name="print")
    review_path = path("<int:agreement_pk>/review/", views.ward_review, name="review")
    suspend_path = path("<int:agreement_pk>/suspend/", views.suspend, name="suspend")
    resume_path = path("<int:agreement_pk>/resume/", views.resume, name="resume")
    discharge_path = path("<int:agreement_pk>/discharge/", views.discharge, name="discharge")
    expected_path = path("<int:agreement_pk>/expected-discharge/", views.change_expected_discharge, name="expected")
    conditions_read_path = path("<int:agreement_pk>/conditions-read/", views.conditions_read, name="conditions_read")
    home_back_path = path("<int:agreement_pk>/home-rota-back/", views.restore_home_shifts, name="home_back")
    new_link_path = path("<int:agreement_pk>/new-link/", views.new_link, name="new_link")
    ward_link_path = path("ward/<str:ward_token>/", views.ward_link, name="ward_link")

    def _visible_only(self, view, audited=False, node_name=None):
        """The shared guard (guarded_urls.py), except that a ward manager of the person opening an
        agreement sent to another ward is told so instead of getting a bare 404."""
        guarded = super()._visible_only(view, audited=audited, node_name=node_name)

        @wraps(view)
        def told(request, *args, process_pk, **kwargs):
            try:
                return guarded(request, *args, process_pk=process_pk, **kwargs)
            except Http404:
                refusal = views.not_sent_to_you(request, process_pk)
                if refusal is None:
                    raise
                return refusal

        return told


hospital_viewset = HospitalViewset(HospitalAgreementFlow)

urlpatterns = [
    path("hospital/", hospital_viewset.urls),
    path("people/<int:recipient_pk>/hospital/", views.agreement_list, name="hospital_list"),
]

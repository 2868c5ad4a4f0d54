"""URLs of the delegation flow, every process URL behind the circle guard (guarded_urls)."""
from django.urls import path

from ..guarded_urls import GuardedFlowViewset
from . import care_views, permissions, views
from .flow import DelegationFlow
from .models import DelegationProcess


class DelegationViewset(GuardedFlowViewset):
    process_model = DelegationProcess
    process_name = "delegation"
    record_name = "Delegation"
    may_view = staticmethod(permissions.may_view)

    index_path = path("", views.inbox, name="index")
    process_detail_path = path("<int:process_pk>/", views.process_detail, name="process_detail")
    hand_over_path = path("<int:process_pk>/hand-over/", views.hand_over, name="hand_over")
    supervise_path = path("<int:process_pk>/supervision/", views.supervise, name="supervise")
    agreement_path = path("<int:process_pk>/agreement/", views.agreement, name="agreement")
    agree_employer_path = path("<int:process_pk>/agreement/employer/", views.agree_as_employer, name="agree_employer")
    acknowledge_path = path("<int:process_pk>/agreement/acknowledge/", views.acknowledge, name="acknowledge")
    decline_path = path("<int:process_pk>/decline/", views.decline, name="decline")


delegation_viewset = DelegationViewset(DelegationFlow)

urlpatterns = [
    path("delegation/", delegation_viewset.urls),
    path("inbox/", views.inbox, name="inbox"),
    path("people/<int:recipient_pk>/delegations/", views.delegation_list, name="list"),
    path("people/<int:recipient_pk>/care-given/", care_views.care_log, name="care_log"),
    path("people/<int:recipient_pk>/condition-change/", views.condition_change, name="condition_change"),
    path("shifts/<int:shift_pk>/care-given/", care_views.shift_care, name="shift_care"),
    path("concerns/<int:concern_pk>/", care_views.concern, name="concern"),
]

"""HospitalAgreementFlow: when the person is admitted, an agreement between the family, the PAs
and the ward on what the PAs do on the ward, until discharge.

Admission (the family asks) → sent to the ward (a ward manager in the circle, or a single-use
link to the ward contact) → the ward accepts, amends (the family confirms the changes) or
declines → the budget holder confirms funding and insurance, and the hospital shifts go on the
rota → in force until discharge (the ward may suspend and resume it meanwhile) → ended.
"""
from viewflow import this
from viewflow.workflow import flow, lock

from care.permissions import can

from . import hospital_permissions as permissions
from . import hospital_services as services
from . import hospital_views as views
from .hospital_models import HospitalAgreement
from .nodes import ClaimTaskView, View


class HospitalClaimView(ClaimTaskView):
    template_name = "workflows/hospital/task_assign.html"


class HospitalView(View):
    """A step for people holding every codename in `Allow(...)` on the agreement's person."""

    assign_view_class = HospitalClaimView

    def allowed(self, user, task):
        recipient = permissions.agreement_of(task).recipient
        return can(user, "view_circle", recipient) and permissions.holds(user, self.circle_permission, recipient)


class HospitalAgreementFlow(flow.Flow):
    """PA-in-hospital agreement

    The family asks the ward to let the person's PAs support them on the ward; the ward sets
    its conditions and says task by task what the PAs may do; the budget holder funds the
    hours and confirms the insurance; the agreement ends at discharge.
    """

    process_class = HospitalAgreement
    lock_impl = lock.select_for_update_lock

    start = (
        flow.Start(views.StartView.as_view())
        .Annotation(title="Admission: ask the ward for an agreement")
        .Available(permissions.may_start_anywhere)
        .Next(this.send_for_review)
    )
    send_for_review = flow.Function(services.send_for_review).Annotation(title="Sent to the ward").Next(this.ward_review)
    ward_review = flow.Handle(services.handled_by).Annotation(title="The ward's review").Next(this.check_review)
    check_review = (
        flow.Switch()
        .Case(this.fund, services.ward_accepted)
        .Case(this.confirm_changes, services.ward_amended)
        .Default(this.declined)
    )
    confirm_changes = (
        HospitalView(views.ConfirmChangesView.as_view())
        .Annotation(title="The family confirms the ward's changes")
        .Allow(permissions.FAMILY)
        .Next(this.check_confirmed)
    )
    check_confirmed = flow.If(services.family_confirmed).Then(this.fund).Else(this.not_agreed)
    fund = (
        HospitalView(views.FundView.as_view())
        .Annotation(title="Funding, insurance and hospital shifts")
        .Allow(permissions.EMPLOYER)
        .Next(this.in_hospital)
    )
    in_hospital = flow.Handle(services.handled_by).Annotation(title="On the ward until discharge").Next(this.discharged)

    discharged = flow.End().Annotation(title="Ended at discharge")
    declined = flow.End().Annotation(title="Declined by the ward")
    not_agreed = flow.End().Annotation(title="The family did not agree to the ward's changes")

    def has_view_permission(self, user, obj=None):
        if obj is None:
            return user.is_authenticated
        return permissions.may_view(user, obj)

    def has_manage_permission(self, user, obj=None):
        # Repair actions are not mounted (see hospital_urls): an agreement changes only through its steps.
        return False


HUMAN_STEPS = [HospitalAgreementFlow.confirm_changes, HospitalAgreementFlow.fund]

"""HospitalAgreementFlow: when the person is admitted, an agreement between the family, the PAs
and the ward on what the PAs do on the ward, until discharge.

Admission (the family asks) → sent to the ward (a ward manager in the circle, or a single-use
link to the ward contact) → the ward accepts, amends (the family confirms the changes) or
declines → the budget holder confirms funding and insurance, and the hospital shifts go on the
rota → in force until discharge (the ward may suspend and resume it meanwhile) → ended.
The work of each step is a service in services.py (reaching the ward, in links.py), its form a
step view in steps.py; driving.py runs the Handle nodes.
"""
from viewflow import this
from viewflow.workflow import flow, lock

from care.permissions import can

from ..nodes import CircleFlow, If, Switch, View
from . import links, permissions, services, steps
from .models import HospitalAgreement


class HospitalView(View):
    """A step for people holding every codename in `Allow(...)` on the agreement's person."""

    assign_view_class = steps.ClaimView

    def allowed(self, user, task):
        recipient = permissions.agreement_of(task).recipient
        return can(user, "view_circle", recipient) and permissions.holds(user, self.circle_permission, recipient)


class HospitalAgreementFlow(CircleFlow, flow.Flow):
    """PA-in-hospital agreement

    The family asks the ward to let the person's PAs support them on the ward; the ward sets
    its conditions and says task by task what the PAs may do; the budget holder funds the
    hours and confirms the insurance; the agreement ends at discharge.
    """

    # Viewflow (2.4: workflow/fields.py get_flow_ref/get_task_ref, Flow.flow_label) stores
    # "workflows/hospital.HospitalAgreementFlow[.node]" in every process and task row and derives
    # this flow's template folder (workflows/hospital/hospitalagreement/) from the same path: the
    # class keeps the module it had before the flow moved into this package, so agreements
    # already stored resolve and nothing needs rewriting (the package re-exports the class).
    __module__ = "workflows.hospital"

    process_class = HospitalAgreement
    lock_impl = lock.select_for_update_lock
    may_view = staticmethod(permissions.may_view)

    start = (
        flow.Start(steps.StartView.as_view())
        .Annotation(title="Admission: ask the ward for an agreement")
        .Available(permissions.may_start_anywhere)
        .Next(this.send_for_review)
    )
    send_for_review = flow.Function(links.send_for_review).Annotation(title="Sent to the ward").Next(this.ward_review)
    ward_review = flow.Handle(services.handled_by).Annotation(title="The ward's review").Next(this.check_review)
    check_review = (
        Switch()
        .Case(this.fund, services.ward_accepted)
        .Case(this.confirm_changes, services.ward_amended)
        .Default(this.declined)
    )
    confirm_changes = (
        HospitalView(steps.ConfirmChangesView.as_view())
        .Annotation(title="The family confirms the ward's changes")
        .Allow(permissions.FAMILY)
        .Next(this.check_confirmed)
    )
    check_confirmed = If(services.family_confirmed).Then(this.fund).Else(this.not_agreed)
    fund = (
        HospitalView(steps.FundView.as_view())
        .Annotation(title="Funding, insurance and hospital shifts")
        .Allow(permissions.EMPLOYER)
        .Next(this.in_hospital)
    )
    in_hospital = flow.Handle(services.handled_by).Annotation(title="On the ward until discharge").Next(this.discharged)

    discharged = flow.End().Annotation(title="Ended at discharge")
    declined = flow.End().Annotation(title="Declined by the ward")
    not_agreed = flow.End().Annotation(title="The family did not agree to the ward's changes")

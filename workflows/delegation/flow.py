"""DelegationFlow: a clinician delegates one healthcare task, for one person, to one named PA.

Request → clinical risk assessment → consent of the person or their representative → the
PA accepts → training until the supervised practices are done → observed assessment (a
fail goes back to training; the third fail ends it) → sign-off → a timer opens the review
28 days before expiry → renew (and wait again) or revoke; unrenewed, it expires on its date.
Steps say who may take them; the work of each step is a service in services.py, its form a
step view in steps.py.
"""
from viewflow import this
from viewflow.workflow import flow, lock

from accounts.twofactor import second_factor_required

from ..nodes import CircleFlow, If, Switch, View
from . import permissions, services, steps
from .models import DelegationProcess


class DelegationView(View):
    """A delegation step: its circle permission is asked of the delegation's person."""

    assign_view_class = steps.ClaimView
    unassign_view_class = steps.GiveBackView

    def allowed(self, user, task):
        return permissions.may_act(user, self.circle_permission, task)


class DelegationFlow(CircleFlow, flow.Flow):
    """Delegation of a healthcare task

    A clinician delegates one healthcare task for one person to one named PA, after a risk
    assessment, the family's consent, the PA's acceptance, training, an observed competency
    assessment and a sign-off, and reviews it before it expires.
    """

    # Viewflow (2.4: workflow/fields.py get_flow_ref/get_task_ref, Flow.flow_label) stores
    # "workflows/delegation.DelegationFlow[.node]" in every process and task row and derives
    # this flow's template folder (workflows/delegation/delegation/) from the same path: the
    # class keeps the module it had before the flow moved into this package, so processes
    # already stored resolve and nothing needs rewriting (the package re-exports the class).
    __module__ = "workflows.delegation"

    process_class = DelegationProcess
    lock_impl = lock.select_for_update_lock
    may_view = staticmethod(permissions.may_view)  # everyone in the person's circle
    # the audit rows name the person; the PA is texted, and named on the step only they may take
    step_reads = ("recipient", "pa")

    start = (
        flow.Start(steps.RequestDelegationView.as_view())
        .Annotation(title="Request a delegation")
        .Available(permissions.may_request_anywhere)
        .Next(this.assess_risk)
    )
    assess_risk = (
        DelegationView(steps.RiskAssessmentView.as_view())
        .Annotation(title="Clinical risk assessment")
        .Allow("act_clinically")
        .Next(this.check_risk)
    )
    check_risk = If(services.risk_accepted).Then(this.consent).Else(this.declined)

    consent = (
        DelegationView(steps.ConsentView.as_view())
        .Annotation(title="Consent of the person or their representative")
        .Allow("consent_delegation")
        .Next(this.check_consent)
    )
    check_consent = If(services.person_consented).Then(this.accept).Else(this.not_agreed)
    accept = (
        DelegationView(steps.AcceptView.as_view())
        .Annotation(title="The PA accepts the delegation")
        .Assign(services.named_pa)
        .OnlyFor(services.named_pa)
        .Allow("work_shifts")
        .Next(this.check_acceptance)
    )
    check_acceptance = If(services.pa_accepted).Then(this.open_competency).Else(this.not_agreed)
    open_competency = (
        flow.Function(services.open_competency).Annotation(title="Competency record opened")
        .Next(this.check_reassessment)
    )
    # a re-delegation after expiry, its risk assessment confirmed as still standing: observe again
    check_reassessment = If(services.reassessing).Then(this.assess).Else(this.train)

    train = (
        DelegationView(steps.TrainingView.as_view())
        .Annotation(title="Record training")
        .Allow("act_clinically")
        .Next(this.check_practice)
    )
    check_practice = If(services.practised_enough).Then(this.assess).Else(this.train)
    assess = (
        DelegationView(steps.AssessmentView.as_view())
        .Annotation(title="Observed competency assessment")
        .Allow("act_clinically")
        .Next(this.check_assessment)
    )
    check_assessment = (
        Switch()
        .Case(this.sign_off, services.assessed_competent)
        .Case(this.train, services.may_try_again)
        .Default(this.not_competent)
    )
    sign_off = (
        DelegationView(second_factor_required(steps.SignOffView.as_view()))
        .Annotation(title="Sign-off")
        .Allow("act_clinically")
        .Next(this.wait_for_review)
    )

    wait_for_review = flow.Timer(services.review_opens_at).Annotation(title="Until the review opens").Next(
        this.check_still_valid
    )
    check_still_valid = If(services.competency_live).Then(this.review_opened).Else(this.lapsed)
    review_opened = (
        flow.Function(services.tell_review_open).Annotation(title="Practitioner told the review is open")
        .Next(this.review)
    )
    review = (
        DelegationView(second_factor_required(steps.ReviewView.as_view()))
        .Annotation(title="Review: renew or revoke")
        .Allow("act_clinically")
        .OnTimeout(services.expires_at, this.expire, title="Expires unless renewed")
        .Next(this.check_review)
    )
    check_review = If(services.renewed).Then(this.wait_for_review).Else(this.revoked)
    expire = flow.Function(services.expire_competency).Annotation(title="Competency expired").Next(this.expired)

    declined = flow.End().Annotation(title="Declined at risk assessment")
    not_agreed = flow.End().Annotation(title="Not agreed")
    not_competent = flow.End().Annotation(title="Ended: not competent")
    revoked = flow.End().Annotation(title="Revoked at review")
    expired = flow.End().Annotation(title="Expired without renewal")
    lapsed = flow.End().Annotation(title="Ended before review")

"""DelegationFlow: a clinician delegates one healthcare task, for one person, to one named PA.

Request → clinical risk assessment → consent of the person or their representative → the
PA accepts → training until the supervised practices are done → observed assessment (a
fail goes back to training; the third fail ends it) → sign-off → a timer opens the review
28 days before expiry → renew (and wait again) or revoke; unrenewed, it expires on its date.
Steps say who may take them; the work of each step is a service in delegation_services.
"""
from viewflow import this
from viewflow.workflow import flow, lock

from care.twofactor import second_factor_required

from . import delegation_services as services
from . import delegation_views as views
from . import permissions
from .delegation_models import DelegationProcess
from .nodes import View


class DelegationFlow(flow.Flow):
    """Delegation of a healthcare task

    A clinician delegates one healthcare task for one person to one named PA, after a risk
    assessment, the family's consent, the PA's acceptance, training, an observed competency
    assessment and a sign-off, and reviews it before it expires.
    """

    process_class = DelegationProcess
    lock_impl = lock.select_for_update_lock

    start = (
        flow.Start(views.RequestDelegationView.as_view())
        .Annotation(title="Request a delegation")
        .Available(permissions.may_request_anywhere)
        .Next(this.assess_risk)
    )
    assess_risk = (
        View(views.RiskAssessmentView.as_view())
        .Annotation(title="Clinical risk assessment")
        .Allow("act_clinically")
        .Next(this.check_risk)
    )
    check_risk = flow.If(services.risk_accepted).Then(this.consent).Else(this.declined)

    consent = (
        View(views.ConsentView.as_view())
        .Annotation(title="Consent of the person or their representative")
        .Allow("consent_delegation")
        .Next(this.check_consent)
    )
    check_consent = flow.If(services.person_consented).Then(this.accept).Else(this.not_agreed)
    accept = (
        View(views.AcceptView.as_view())
        .Annotation(title="The PA accepts the delegation")
        .Assign(services.named_pa)
        .Allow("work_shifts")
        .Next(this.check_acceptance)
    )
    check_acceptance = flow.If(services.pa_accepted).Then(this.open_competency).Else(this.not_agreed)
    open_competency = (
        flow.Function(services.open_competency).Annotation(title="Competency record opened").Next(this.train)
    )

    train = (
        View(views.TrainingView.as_view())
        .Annotation(title="Record training")
        .Allow("act_clinically")
        .Next(this.check_practice)
    )
    check_practice = flow.If(services.practised_enough).Then(this.assess).Else(this.train)
    assess = (
        View(views.AssessmentView.as_view())
        .Annotation(title="Observed competency assessment")
        .Allow("act_clinically")
        .Next(this.check_assessment)
    )
    check_assessment = (
        flow.Switch()
        .Case(this.sign_off, services.assessed_competent)
        .Case(this.train, services.may_try_again)
        .Default(this.not_competent)
    )
    sign_off = (
        View(second_factor_required(views.SignOffView.as_view()))
        .Annotation(title="Sign-off")
        .Allow("act_clinically")
        .Next(this.wait_for_review)
    )

    wait_for_review = flow.Timer(services.review_opens_at).Annotation(title="Until the review opens").Next(
        this.check_still_valid
    )
    check_still_valid = flow.If(services.competency_live).Then(this.review).Else(this.lapsed)
    review = (
        View(second_factor_required(views.ReviewView.as_view()))
        .Annotation(title="Review: renew or revoke")
        .Allow("act_clinically")
        .OnTimeout(services.expires_at, this.expire, title="Expires unless renewed")
        .Next(this.check_review)
    )
    check_review = flow.If(services.renewed).Then(this.wait_for_review).Else(this.revoked)
    expire = flow.Function(services.expire_competency).Annotation(title="Competency expired").Next(this.expired)

    declined = flow.End().Annotation(title="Declined at risk assessment")
    not_agreed = flow.End().Annotation(title="Not agreed")
    not_competent = flow.End().Annotation(title="Ended: not competent")
    revoked = flow.End().Annotation(title="Revoked at review")
    expired = flow.End().Annotation(title="Expired without renewal")
    lapsed = flow.End().Annotation(title="Ended before review")

    def has_view_permission(self, user, obj=None):
        """Everyone in the person's circle sees a delegation's status and history."""
        if obj is None:
            return user.is_authenticated
        return permissions.may_view(user, obj)

    def has_manage_permission(self, user, obj=None):
        # Viewflow's undo/cancel/revive pages are not mounted (see delegation_urls): clinical
        # decisions are records, so nobody rewrites a process other than through its steps.
        return False


HUMAN_STEPS = [DelegationFlow.assess_risk, DelegationFlow.consent, DelegationFlow.accept, DelegationFlow.train,
               DelegationFlow.assess, DelegationFlow.sign_off, DelegationFlow.review]

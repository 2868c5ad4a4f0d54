"""Listeners for other apps' signals: a competency lapsing, a PA leaving, or a PA on leave or off sick
leaves shifts needing cover; a change to what the rota page shows of other apps' rows (a PA's name
or rates, a task's name) makes the page's kept weeks stale."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from care.models import PAProfile, Role
from care.signals import membership_ended
from competencies.models import HealthcareTask
from competencies.signals import competency_lapsed
from employment.signals import absence_approved

from . import services, week_cache


@receiver(competency_lapsed, dispatch_uid="rota.competency_lapsed")
def flag_shifts_after_lapse(sender, competency, reason, **kwargs):
    """The shifts flagged (their budget holders texted about them), so competencies does not text them too."""
    return services.flag_lapsed_competency(competency=competency, reason=reason)


@receiver(membership_ended, dispatch_uid="rota.membership_ended")
def flag_shifts_after_leaving(sender, membership, **kwargs):
    if membership.role == Role.PA:
        services.flag_departed_pa(membership=membership)


@receiver(absence_approved, dispatch_uid="rota.absence_approved")
def flag_shifts_in_absence(sender, absence, **kwargs):
    services.flag_absent_pa(absence=absence)



# What the cards show of a user: the rest of a user's row changes at every sign-in.
NAME_FIELDS = {"first_name", "last_name", "username"}


def forget_kept_weeks(sender, update_fields=None, **kwargs):
    """A PA's name (on the cards) or profile rates (in the costs), or a task's name (on the cards)
    changed: the key of the rota page's kept weeks (rota.week_cache) does not read these rows, so
    bump its generation once the change is committed."""
    if sender is get_user_model() and update_fields is not None and not NAME_FIELDS & set(update_fields):
        return
    transaction.on_commit(week_cache.bump_generation)


for model in (get_user_model(), PAProfile, HealthcareTask):
    post_save.connect(forget_kept_weeks, sender=model, dispatch_uid=f"rota.week_cache.saved.{model.__name__}")
    post_delete.connect(forget_kept_weeks, sender=model, dispatch_uid=f"rota.week_cache.deleted.{model.__name__}")

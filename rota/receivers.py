"""Listeners for other apps' signals: a competency lapsing, a PA leaving, or a PA on leave or off sick
leaves shifts needing cover."""
from django.dispatch import receiver

from care.models import Role
from care.signals import membership_ended
from competencies.signals import competency_lapsed
from employment.signals import absence_approved

from . import services


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

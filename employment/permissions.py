"""Who does what to a family's employment records, from the circle permissions in care.

The employer is whoever both plans the rota and holds the budget: the budget holder. The
coordinator sees the figures (view_budget) but does not decide; a PA sees their own.
care.permissions stays the one place roles map to codenames: this only combines them.
"""
from care.permissions import can


def is_employer(user, recipient):
    return can(user, "manage_rota", recipient) and can(user, "view_budget", recipient)


def sees_pay(user, recipient):
    """Budget holder and coordinator: every PA's terms, leave and pay."""
    return can(user, "view_budget", recipient)


def may_act_for(user, recipient, pa):
    """The PA themselves (while a PA here), or the employer."""
    if user.pk == pa.pk and can(user, "work_shifts", recipient):
        return True
    return is_employer(user, recipient)

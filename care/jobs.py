"""care's periodic job: a membership ended for a later date loses its access when that date comes."""
from paworkflow.periodic import every

from . import services


@every(300)
def end_due_memberships():
    return services.end_due_memberships()

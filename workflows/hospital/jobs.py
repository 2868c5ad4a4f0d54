"""The periodic hospital sweep: remind the family and the ward when an agreement is still in
force after its expected discharge date. Each reminder is claimed before it is sent, so two
runs (or two machines) send it once; a new expected date gets its own reminder."""
from paworkflow.periodic import every

from . import services


@every(3600)
def hospital_discharge_reminders():
    return {"discharge_reminders": services.remind_overdue_discharges()}

"""The periodic hospital sweeps: end agreements whose planned discharge day has come, and remind
the family and the ward when an agreement is still in force after its expected discharge date.
Each is claimed before it acts (the agreement's row lock, a conditional update), so two runs (or
two machines) do it once; a new expected date gets its own reminder."""
from paworkflow.periodic import every

from . import driving, in_force


@every(3600)
def hospital_planned_discharges():
    return {"planned_discharges_ended": driving.end_planned_discharges()}


@every(3600)
def hospital_discharge_reminders():
    return {"discharge_reminders": in_force.remind_overdue_discharges()}

"""The periodic delegation sweep: fire due Viewflow timers (review tasks open, unrenewed
competencies lapse), expire what is past its date, and send the 28- and 7-day reminders.
Every part claims its rows before acting, so running it twice, or on two machines, does
nothing twice."""
from viewflow.workflow.timers import fire_due_timers

from competencies import services as competencies
from paworkflow.periodic import every


@every(300)
def delegation_sweep():
    # Timers first: a review's own expiry timer closes its process as it expires the competency.
    fired = fire_due_timers()
    expired = competencies.expire_due()
    reminded = competencies.send_expiry_reminders()
    return {"timers_fired": fired, "expired": expired, "reminders": reminded}


@every(900)
def missed_care_records():
    """Chase the records of care given still missing two hours after a shift (one text per shift)."""
    from .care_given import chase_missed_records

    return {"chased": chase_missed_records()}

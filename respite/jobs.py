"""The respite periodic jobs: each is idempotent and safe to run on two machines at once."""
from paworkflow.periodic import every

from . import assessments, services, settlement


@every(900)
def settle_respite_accounts():
    """Credit each begun period's allowance, trim carry-over, expire old hours."""
    settled = 0
    for account in settlement.accounts_due():
        settlement.settle_account(account=account)
        settled += 1
    return settled


@every(3600)
def remind_expiring_respite_hours():
    return settlement.send_expiry_reminders()


@every(300)
def tidy_respite_bookings():
    """Give hours back for respite shifts cancelled on the rota, and for requests never approved in time."""
    return {"released": services.release_cancelled_shifts(), "declined": services.decline_stale_requests()}


@every(3600)
def remind_carer_assessment_reviews():
    """Tell coordinators, once per review date, of carers' assessments due for review within 28 days."""
    return assessments.send_review_reminders()

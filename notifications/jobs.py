"""notifications' periodic jobs: each is idempotent and safe to run on two machines at once."""
from paworkflow.periodic import every

from . import services


@every(15)
def send_due_messages():
    """Hand every message whose (re)try time has come to a worker."""
    return services.send_due_messages()


@every(60)
def requeue_stuck_messages():
    """Put messages whose worker died mid-send back in the queue."""
    return services.requeue_stuck_messages()

"""The agreement's rows in the person's audit log: every action on an agreement writes one, from
services.py and from links.py alike."""
from care.services import record_audit


def audit(agreement, actor, action, summary):
    record_audit(actor=actor, recipient=agreement.recipient, action=f"hospital.{action}",
                 summary=f"{agreement.reference}: {summary}")

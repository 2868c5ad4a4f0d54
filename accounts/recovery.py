"""Getting back in with only a mobile number: a one-time code by text, then a new password.

Neither step says whether an account exists: both answer the same way for a number nobody
has, and the views throttle them per number and per address. Asking for a code does not even
take longer for a real account: the request only queues the number (`request_recovery_code`),
and a background task finds the account, makes the code and writes the text after commit.
"""
import datetime
import secrets

from celery import current_app
from django.contrib.auth import get_user_model, password_validation
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

import notifications
from care.kernel.names import person_name
from care.models import RecoveryCode
from care.services import record_audit

SEND_RECOVERY_CODE_TASK = "accounts.send_recovery_code"


def _hash(user_id, code):
    # The salt (and the texts' idempotency key below) keep the name they had when this lived in
    # care: codes already texted still match, and no code is texted twice.
    return salted_hmac("care.recovery", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def _account_at(mobile):
    """Only accounts with a password recover by text: a PA added by mobile alone gets a login
    through an invitation from their family, not by asking for one."""
    user = get_user_model().objects.filter(profile__mobile=mobile, is_active=True).first()
    return user if user is not None and user.has_usable_password() else None


def request_recovery_code(*, mobile):
    """Queue `send_recovery_code` for after commit. The request does this and nothing else, known
    number or not, so its queries, its calls and its time say nothing about accounts."""
    # By its registered name (accounts/tasks.py imports this module, never the other way round).
    task = current_app.tasks[SEND_RECOVERY_CODE_TASK]
    transaction.on_commit(lambda: task.delay(mobile=mobile))


@transaction.atomic
def send_recovery_code(*, mobile):
    """Text a six-digit code to the account at this mobile, if there is one (run by a worker).
    Returns None either way."""
    user = _account_at(mobile)
    if user is None:
        return None
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    # Only the newest code works: asking again retires the earlier ones.
    RecoveryCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    recovery = RecoveryCode.objects.create(
        user=user, code_hash=_hash(user.pk, code),
        expires_at=now + datetime.timedelta(minutes=RecoveryCode.VALID_MINUTES),
    )
    notifications.send_sms(
        number=mobile,
        body=f"paworkflow: your code to set a new password is {code}. It works for "
        f"{RecoveryCode.VALID_MINUTES} minutes. Did not ask? Ignore this text.",
        purpose="account_recovery",
        idempotency_key=f"care.recovery:{recovery.pk}",
    )
    record_audit(actor=user, recipient=None, action="account.recovery_code_sent",
                 summary=f"Password reset code texted to {person_name(user)}")
    return None


@transaction.atomic
def reset_password_with_code(*, mobile, code, password):
    """Set a new password if `code` is the newest unexpired code for the account at `mobile`.

    Returns the user, or None for a wrong, used or expired code or an unknown number (one answer
    for all). A code stops working after RecoveryCode.MAX_ATTEMPTS wrong tries. Raises
    ValidationError only when the code was right and the password is too weak.
    """
    user = _account_at(mobile)
    if user is None:
        return None
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if recovery is None or recovery.attempts >= RecoveryCode.MAX_ATTEMPTS:
        return None
    if not constant_time_compare(recovery.code_hash, _hash(user.pk, str(code).strip())):
        RecoveryCode.objects.filter(pk=recovery.pk).update(attempts=F("attempts") + 1)
        return None
    password_validation.validate_password(password, user)
    claimed = RecoveryCode.objects.filter(pk=recovery.pk, used_at__isnull=True).update(used_at=timezone.now())
    if claimed != 1:
        return None  # the same code used twice at once: the other request won
    user.set_password(password)
    user.save(update_fields=["password"])
    record_audit(actor=user, recipient=None, action="account.password_reset_by_text",
                 summary=f"{person_name(user)} set a new password with a texted code")
    return user

"""Celery entry points: they take plain values and call services."""
from celery import shared_task

from . import recovery


@shared_task(name=recovery.SEND_RECOVERY_CODE_TASK, ignore_result=True)
def send_recovery_code(mobile):
    recovery.send_recovery_code(mobile=mobile)

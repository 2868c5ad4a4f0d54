"""Celery entry points: they take ids and call services. Services never import this module."""
from celery import shared_task

from . import services


@shared_task(name=services.SEND_MESSAGE_TASK, ignore_result=True)
def send_message(message_pk):
    return services.deliver_message(message_pk=message_pk)

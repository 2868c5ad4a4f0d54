"""Celery entry points: they take ids and call services."""
from celery import shared_task

from . import services


@shared_task(name="notifications.send_message", ignore_result=True)
def send_message(message_pk):
    return services.deliver_message(message_pk=message_pk)

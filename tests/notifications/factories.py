"""factory-boy factories for notifications' models."""
import factory

from notifications.models import Message, Status


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    user = None  # pass one: every new user costs a password hash
    to = factory.Sequence(lambda n: f"+447700900{n % 1000:03d}")
    body = factory.Sequence(lambda n: f"paworkflow: shift {4000 + n} is offered. Reply YES {4000 + n}.")
    encoding = "GSM-7"
    segments = 1
    purpose = "shift_offer"
    status = Status.DELIVERED
    provider_id = factory.Sequence(lambda n: f"SMfactory{n:024d}")
    attempts = 1
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")

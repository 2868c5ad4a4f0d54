"""Prints texts instead of sending them: the embedded default, so `make run` needs no Twilio account."""
import sys

from . import BaseBackend


class ConsoleBackend(BaseBackend):
    sender = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message):
        self.stream.write(f"SMS to {message.to} ({message.purpose}): {message.body}\n")
        self.stream.flush()
        return f"console-{message.pk}"

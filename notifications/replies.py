"""Who answers a text that starts with a given word. Apps register in AppConfig.ready:

    replies.register(("YES", "NO"), answer_offer)

    def answer_offer(*, user, number, keyword, args) -> str:  # "YES 4821" -> keyword "YES", args ("4821",)
        ...

`user` owns the number (as the contact hook, settings.NOTIFICATIONS_CONTACT, says); texts
from numbers that belong to nobody never reach a handler. The returned text is sent back as the reply.
"""
import re

# Twilio's own opt-out, opt-in and help words: Twilio acts on them itself, so we mirror it.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
RESERVED = STOP_WORDS | START_WORDS | HELP_WORDS

_handlers = {}


def register(keywords, handler):
    if isinstance(keywords, str):
        keywords = (keywords,)
    for keyword in keywords:
        if not re.fullmatch(r"[A-Z0-9]{1,20}", keyword or ""):
            raise ValueError(f"Reply keywords are one upper-case word, not {keyword!r}.")
        if keyword in RESERVED:
            raise ValueError(f"{keyword} is an opt-out, opt-in or help word and cannot be registered.")
        if _handlers.get(keyword, handler) is not handler:
            raise ValueError(f"{keyword} already has a reply handler: {_handlers[keyword]!r}.")
    for keyword in keywords:
        _handlers[keyword] = handler


def unregister(keywords):
    for keyword in (keywords,) if isinstance(keywords, str) else keywords:
        _handlers.pop(keyword, None)


def handler_for(keyword):
    return _handlers.get(keyword)


def keywords():
    return sorted(_handlers)

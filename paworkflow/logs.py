"""Log records never carry a live token: the paths of invitation, ward, calendar and password-reset
links are secrets of their addressee, and Django's request log ("Forbidden: /join/<token>/")
would otherwise write them where every operator reads."""
import logging
import re

# Each URL that carries a token, with the token's part of the path.
TOKEN_IN_PATH = re.compile(r"(/(?:join|ward|reset/[^/\s]+)/)[^/\s?\"']+|(/calendar/)[^/\s?\"']+(\.ics)")


def without_tokens(text):
    return TOKEN_IN_PATH.sub(lambda m: f"{m.group(1)}[token]" if m.group(1) else f"{m.group(2)}[token]{m.group(3)}",
                             text)


class RedactTokens(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = without_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_tokens(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: without_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True

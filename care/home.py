"""What needs a person's attention on their home page. Apps add sections in AppConfig.ready.

A section is a function (user, recipients) -> list of Attention items; care never
imports the apps that provide them.
"""
from dataclasses import dataclass

_sections = []


@dataclass
class Attention:
    title: str
    detail: str = ""
    url: str = ""
    urgent: bool = False


def register(title):
    def decorator(fn):
        _sections.append((title, fn))
        return fn

    return decorator


def sections_for(user, recipients):
    return [(title, fn(user, recipients)) for title, fn in _sections]

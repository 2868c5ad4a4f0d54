"""What needs a coordinator across the families they coordinate, most urgent first.

care cannot import the apps that know about shifts, competencies, admissions or respite hours
(dependencies point down: they all import care). So, as with the home page (care.home), each of
those apps registers a *source* here in its AppConfig.ready, and the caseload page asks every
source once for all the families in view. A source is a function (recipient_ids, today) ->
iterable of Attention, where recipient_ids is a subquery of CareRecipient primary keys; it must
cost a fixed number of queries (one, normally) however many families there are, so the page's
query count stays flat. Hours and pay, and concerns raised, arrive as one more source each.
"""
from collections import defaultdict
from dataclasses import dataclass
import datetime

# Urgency: what must be acted on now, then what is in force, then what is coming up; within a
# level the earliest date first.
NOW, IN_FORCE, SOON = 0, 1, 2
LEVELS = {NOW: "Act now", IN_FORCE: "In force", SOON: "Coming up"}

_sources = {}  # key -> (label, function), in registration order


@dataclass(frozen=True)
class Attention:
    recipient_id: int
    kind: str  # the key of the source that found it
    level: int
    when: datetime.date
    title: str  # from a fixed template: a count, a code, a date; never text someone typed
    url: str

    @property
    def overdue(self):
        return self.level == NOW

    @property
    def level_label(self):
        return LEVELS[self.level]


def source(key, label):
    """Register `fn(recipient_ids, today)` as the caseload's source of `key` items (e.g. "cover")."""

    def decorator(fn):
        _sources[key] = (label, fn)
        return fn

    return decorator


def kinds():
    """[(key, label)] of every registered source, for the page's filter."""
    return [(key, label) for key, (label, _fn) in _sources.items()]


def needs_attention(recipient_ids, *, today, kind=""):
    """Every source's items for these families (or only `kind`'s), grouped by family, each
    family's items in urgency order: {recipient_id: [Attention, ...]}."""
    found = defaultdict(list)
    for key, (_label, fn) in _sources.items():
        if kind and key != kind:
            continue
        for item in fn(recipient_ids, today):
            found[item.recipient_id].append(item)
    for items in found.values():
        items.sort(key=urgency)
    return found


def urgency(item):
    return (item.level, item.when, item.kind)


def in_urgency_order(families, attention):
    """Family ids (`families`: [(pk, display_name)]) ordered by their most urgent item; families
    with nothing needing attention after them, by name (the order `families` came in)."""
    needing = [pk for pk, _name in families if pk in attention]
    needing.sort(key=lambda pk: urgency(attention[pk][0]))
    return needing + [pk for pk, _name in families if pk not in attention]

"""What the rota page keeps between views: the week's rendered days and cards, who is away, and the
budget figures, in the cache (Redis in production, so every web process shares them), under a key
made of everything they show. An unchanged rota is then neither read nor costed nor rendered again;
a changed one misses.

The key, read in one query each view (`page_state`), holds: the rota's sequence number (every change
through rota.services adds one: shifts, offers, answers, swaps), the count and latest `updated_at` of
the shifts the figures cover (so shifts written any other way, and a database restored or emptied,
cannot match an old entry), the family's pay terms (append-only: their count and latest `set_at`),
the week's absences (their count and latest asked and decided moments), the budget row's own
figures, the on-costs setting, today (the "Today" tag), what the viewer may do (only the "+ Add
shift" links and the figures differ between viewers: the cards are the same for everyone) and the
code and templates that made them. What no query here sees — a PA's profile rates and name, a
task's name — bumps one generation (rota/receivers.py) after commit, which every entry is checked
against.
"""
import datetime
import functools
import hashlib
import importlib.metadata
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe

from care.kernel.clock import local_midnight
from care.kernel.names import person_name
from employment.models import Absence, Terms

from .models import RotaSequence, Shift
from .queries import budget_for, oncost_percent, rota_week, week_and_budget

log = logging.getLogger(__name__)

GENERATION = "rota:week:generation"
# Long enough to outlive a family's day of planning; entries of past states are never read again.
TIMEOUT = 24 * 60 * 60
DAYS_TEMPLATE = "rota/_week_days.html"
CARD_TEMPLATE = "rota/_shift_card.html"


@dataclass
class Week:
    """What the page shows of the week besides its header: `days` is the rendered day list."""

    seq: int
    needs_cover: int
    days: str
    away: tuple  # (name, when) of each PA away this week
    week_cost: object = None  # Decimal, for those who may see the budget
    warnings: tuple = ()


def page_state(recipient, monday, first_day, end_day):
    """{seq, needs_cover, shift_count, shifts_changed, terms_count, terms_changed, away_count,
    away_asked, away_decided}: the rota's number, its needs-cover count (both of which the page
    shows), and the count and latest change of its shifts starting on the local days
    [first_day, end_day), of the family's terms, and of its PAs' absences touching the week of
    `monday` (asked for, then decided, each with its moment). One query.

    Written out, not built with the ORM: the page reads it on every view, and composing its six
    subqueries cost about 3 ms of Python a view (as much as the rest of a kept week) against
    0.2 ms for PostgreSQL to run it."""
    ops = connection.ops
    table, terms = ops.quote_name(Shift._meta.db_table), ops.quote_name(Terms._meta.db_table)
    sequence = ops.quote_name(RotaSequence._meta.db_table)
    absences = f"FROM {ops.quote_name(Absence._meta.db_table)} WHERE recipient_id = %s AND first_day <= %s AND last_day >= %s"
    in_range = f"FROM {table} WHERE recipient_id = %s AND start >= %s AND start < %s"
    sql = (
        f"SELECT (SELECT last FROM {sequence} WHERE recipient_id = %s),"
        # Shift.objects.needing_cover(): upcoming, flagged, not cancelled
        f" (SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND needs_cover = %s AND status <> %s"
        f" AND {ops.quote_name('end')} > %s),"
        f" (SELECT COUNT(*) {in_range}), (SELECT MAX(updated_at) {in_range}),"
        f" (SELECT COUNT(*) FROM {terms} WHERE recipient_id = %s), (SELECT MAX(set_at) FROM {terms} WHERE recipient_id = %s),"
        f" (SELECT COUNT(*) {absences}), (SELECT MAX(requested_at) {absences}), (SELECT MAX(decided_at) {absences})"
    )
    pk = recipient.pk
    start, end = (ops.adapt_datetimefield_value(local_midnight(day)) for day in (first_day, end_day))
    now = ops.adapt_datetimefield_value(timezone.now())
    week = [pk, ops.adapt_datefield_value(monday + datetime.timedelta(days=6)), ops.adapt_datefield_value(monday)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, pk, True, Shift.Status.CANCELLED, now, pk, start, end, pk, start, end, pk, pk,
                             *week * 3])
        row = cursor.fetchone()
    return dict(zip(("seq", "needs_cover", "shift_count", "shifts_changed", "terms_count", "terms_changed",
                     "away_count", "away_asked", "away_decided"), (row[0] or 0, *row[1:])))


@functools.cache
def _code():
    """The templates and the costing code the entries were made with, so a new release never reads
    an entry the old one wrote (the cache outlives a deploy)."""
    from employment import queries as employment_queries, wages

    from . import pay, queries

    parts = [get_template(name).template.source for name in (DAYS_TEMPLATE, CARD_TEMPLATE)]
    parts += [Path(module.__file__).read_text() for module in (queries, pay, wages, employment_queries)]
    parts.append(importlib.metadata.version("holidays"))  # bank holidays come from it
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def generation():
    """The current generation, started at a random number if the cache has none (never seen, or
    evicted), so an entry of an earlier generation can never match by chance."""
    current = cache.get(GENERATION)
    if current is None:
        cache.add(GENERATION, secrets.randbits(62), None)
        current = cache.get(GENERATION)
    return current


def bump_generation():
    """After a commit that changed something the entries show but the key does not read. Never
    raises: it runs after the change has committed, and an unreachable cache must not turn that
    change's answer into an error."""
    try:
        try:
            cache.incr(GENERATION)
        except ValueError:  # not in the cache: a fresh random start does the same
            cache.add(GENERATION, secrets.randbits(62), None)
    except Exception:  # the cache (Redis) is down: its entries cannot be read either
        log.warning("Could not move the rota page's kept weeks on: the cache did not answer.", exc_info=True)


def _kept(keys):
    """The cache's entries for `keys`, or None when the cache cannot be reached (Redis restarting):
    the page is then read afresh, as with an empty cache, rather than failing."""
    try:
        return cache.get_many(keys)
    except Exception:
        log.warning("The rota page's cache did not answer; the week is read afresh.", exc_info=True)
        return None


def _keep(key, entry):
    try:
        entry["generation"] = entry["generation"] if entry["generation"] is not None else generation()
        cache.set(key, entry, TIMEOUT)
    except Exception:
        log.warning("The rota page's cache did not answer; the week is not kept.", exc_info=True)


def week(recipient, monday, *, today, can_manage, can_budget):
    """The week's days (rendered `rota/_week_days.html`), who is away, and, for those who may see the
    budget, the week's planned cost and the budget's warnings: from the cache when nothing they show
    has changed.

    Two queries when it has not (the budget, and `page_state`); the rota's reads otherwise."""
    end = monday + datetime.timedelta(days=7)
    budget = budget_for(recipient, monday) if can_budget else None
    first_day, end_day = monday, end
    if budget is not None:
        first_day, end_day = min(monday, budget.period_start), max(end, budget.period_end)
    state = page_state(recipient, monday, first_day, end_day)
    budget_key = budget and (budget.pk, budget.amount, budget.contingency, budget.period_start, budget.period_end)
    key = "rota:week:%s:%s" % (recipient.pk, hashlib.sha256(repr((
        monday, today, can_manage, can_budget, state["seq"], state["shift_count"], state["shifts_changed"],
        state["terms_count"], state["terms_changed"], state["away_count"], state["away_asked"],
        state["away_decided"], budget_key, oncost_percent(), get_script_prefix(), _code(),
    )).encode()).hexdigest()[:32])
    found = _kept([GENERATION, key])
    current = found.get(GENERATION) if found is not None else None
    entry = found.get(key) if found is not None else None
    if current is not None and entry is not None and entry["generation"] == current:
        return Week(state["seq"], state["needs_cover"], mark_safe(entry["days"]), entry["away"],
                    entry["week_cost"], entry["warnings"])
    days = render_to_string(DAYS_TEMPLATE, {
        "days": rota_week(recipient, monday), "today": today, "can_manage": can_manage, "recipient": recipient,
    })
    away = tuple((person_name(a.pa), a.describe) for a in away_this_week(recipient, monday))
    week_cost, warnings = None, ()
    if can_budget:
        week_cost, summary = week_and_budget(recipient, monday, budget=budget)
        warnings = tuple(summary.warnings)
    if found is not None:
        _keep(key, {"generation": current, "days": str(days), "away": away, "week_cost": week_cost,
                    "warnings": warnings})
    return Week(state["seq"], state["needs_cover"], days, away, week_cost, warnings)


def away_this_week(recipient, monday):
    return Absence.objects.approved().filter(recipient=recipient).on_days(
        monday, monday + datetime.timedelta(days=6)).select_related("pa")

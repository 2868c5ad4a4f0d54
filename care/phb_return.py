"""The quarterly PHB return: the counts the national personal health budget collection asks of
an area each quarter (live at the quarter's end and new in it, by kind, management option, adults
and children, continuing-care eligibility), one line per commissioning area.

Quarters follow the financial year: 2026-Q1 is April–June 2026 and 2026-Q4 is January–March 2027.
A budget is counted once per person and kind, whatever number of period rows it has.
"""
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import BudgetKind, ContinuingCare, ManagementOption, PersonalHealthBudget

ADULT_AGE = 18
NO_AREA = "Not recorded"
ALL_AREAS = "All areas"

# The measures counted twice, once over budgets live at the quarter's end and once over budgets
# that began in the quarter; in this order in the CSV, after the quarter and the area.
MEASURES = [
    ("total", "Budgets"),
    ("phb", BudgetKind.PERSONAL_HEALTH_BUDGET.label),
    ("ipb", BudgetKind.INTEGRATED.label),
    ("pwb", BudgetKind.WHEELCHAIR.label),
    ("direct_payment", ManagementOption.DIRECT_PAYMENT.label),
    ("third_party", ManagementOption.THIRD_PARTY.label),
    ("notional", ManagementOption.NOTIONAL.label),
    ("mixed", ManagementOption.MIXED.label),
    ("adults", "Adults (18 or over at the quarter's end)"),
    ("children", "Children and young people (under 18 at the quarter's end)"),
    ("adult_chc", ContinuingCare.ADULT_CHC.label),
    ("children_cc", ContinuingCare.CHILDREN.label),
]
COLUMNS = (
    ["quarter", "quarter_start", "quarter_end", "commissioning_area"]
    + [f"live_{key}" for key, _ in MEASURES]
    + [f"new_{key}" for key, _ in MEASURES]
    + ["ended_in_quarter", "budgets_with_guessed_values"]
)

QUARTER_FORMAT = re.compile(r"^(\d{4})-Q([1-4])$")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Quarter:
    year: int  # the calendar year the financial year starts in
    number: int

    @property
    def start(self):
        return datetime.date(self.year + (self.number == 4), (self.number * 3 + 1) % 12 or 12, 1)

    @property
    def end(self):
        """The quarter's last day."""
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1).start - datetime.timedelta(days=1)

    def __str__(self):
        return f"{self.year}-Q{self.number}"

    @property
    def dates(self):
        return f"{self.start.day} {self.start:%B %Y} – {self.end.day} {self.end:%B %Y}"

    @classmethod
    def containing(cls, day):
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    def previous(self):
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def last_ended_quarter(today):
    return Quarter.containing(today).previous()


def parse_quarter(text, *, today):
    """The Quarter `YYYY-Qn` names, refused with a message unless it exists and has ended."""
    match = QUARTER_FORMAT.match((text or "").strip().upper())
    if not match:
        example = last_ended_quarter(today)
        raise ValidationError(
            f"Give the quarter as YYYY-Qn, e.g. {example} for {example.dates}: quarters follow the financial "
            "year, Q1 is April to June.", code="quarter_format")
    quarter = Quarter(int(match.group(1)), int(match.group(2)))
    if quarter.year < FIRST_YEAR:
        raise ValidationError(f"There is no return before {FIRST_YEAR}: check the year.", code="quarter_too_old")
    if quarter.end >= today:
        raise ValidationError(
            f"{quarter} ({quarter.dates}) has not ended yet: its return can be made from "
            f"{(quarter.end + datetime.timedelta(days=1)):%-d %B %Y}.", code="quarter_future")
    return quarter


def age_on(date_of_birth, day):
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _covers(budget, day):
    return budget.period_start <= day < budget.period_end


def _live_on(budget, day):
    return _covers(budget, day) and budget.started_on <= day and (budget.ended_on is None or budget.ended_on > day)


def _measures(budget, day):
    """The measure keys one budget counts towards (besides the total), by its row on `day`."""
    keys = [budget.kind, budget.management_option]
    keys.append("adults" if age_on(budget.recipient.date_of_birth, day) >= ADULT_AGE else "children")
    if budget.continuing_care != ContinuingCare.NONE:
        keys.append(budget.continuing_care)
    return keys


@dataclass
class Line:
    area: str
    live: dict
    new: dict
    ended: int = 0
    guessed: int = 0

    def measures(self):
        """(label, live, new) rows for the printable page."""
        return [(label, self.live[key], self.new[key]) for key, label in MEASURES]

    def csv_row(self, quarter):
        return ([str(quarter), quarter.start.isoformat(), quarter.end.isoformat(), self.area]
                + [self.live[key] for key, _ in MEASURES] + [self.new[key] for key, _ in MEASURES]
                + [self.ended, self.guessed])


def _line(area):
    return Line(area=area, live=dict.fromkeys((k for k, _ in MEASURES), 0), new=dict.fromkeys((k for k, _ in MEASURES), 0))


@dataclass
class Return:
    quarter: Quarter
    lines: list  # one per commissioning area, then the total over all of them
    guessed: list  # budgets counted whose values the upgrade guessed: check them

    @property
    def total(self):
        return self.lines[-1]


def quarterly_return(recipients, quarter):
    """The return over these recipients' budgets (a CareRecipient queryset: the caller's scope).

    One query: every budget row whose period touches the quarter, with the person's date of birth.
    """
    rows = (
        PersonalHealthBudget.objects.filter(recipient__in=recipients.values("pk"))
        .filter(period_start__lte=quarter.end, period_end__gt=quarter.start, started_on__lte=quarter.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.start))
        .select_related("recipient")
        .order_by("recipient_id", "kind", "period_start", "pk")
    )
    budgets = defaultdict(list)  # (person, kind) -> their rows, oldest period first
    for row in rows:
        budgets[(row.recipient_id, row.kind)].append(row)
    lines, total, guessed = {}, _line(ALL_AREAS), []
    for periods in budgets.values():
        at_end = [row for row in periods if _live_on(row, quarter.end)]
        row = at_end[-1] if at_end else periods[-1]
        area = row.commissioning_area.strip() or NO_AREA
        line = lines.setdefault(area, _line(area))
        is_new = quarter.start <= min(p.started_on for p in periods) <= quarter.end
        for counted, flag in ((at_end, "live"), (is_new, "new")):
            if counted:
                for target in (line, total):
                    tally = getattr(target, flag)
                    tally["total"] += 1
                    for key in _measures(row, quarter.end):
                        tally[key] += 1
        if not at_end:
            line.ended += 1
            total.ended += 1
        if row.guessed:
            line.guessed += 1
            total.guessed += 1
            guessed.append(row)
    ordered = [lines[area] for area in sorted(lines, key=lambda a: (a == NO_AREA, a.lower()))]
    return Return(quarter=quarter, lines=ordered + [total], guessed=guessed)

"""The balance-over-time chart as plain SVG numbers for a template: no script, no CDN."""
from decimal import Decimal

from django.utils import timezone

from care.kernel.clock import local_midnight

from .periods import add_months

WIDTH, HEIGHT = 400, 180
LEFT, RIGHT, TOP, BOTTOM = 34, 6, 10, 22


def _nice_ceiling(value):
    """A round top for the axis: 10, 20, 25, 50, 100, … at or above the highest balance."""
    value = max(value, Decimal("1"))
    step = Decimal("1")
    while True:
        for multiple in (1, 2, 2.5, 5):
            top = step * Decimal(str(multiple))
            if top >= value:
                return top
        step *= 10


def balance_chart(since, opening, points, *, now=None):
    """A step line of the balance from `since` to now; `points` are (instant, balance after) in order."""
    now = now or timezone.now()
    span = (now - since).total_seconds() or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_ceiling(max([opening, *(b for _, b in points)]))

    def x(moment):
        return f"{LEFT + plot_w * min(max((moment - since).total_seconds() / span, 0), 1):.1f}"

    def y(balance):
        return f"{TOP + plot_h - plot_h * float(balance / top):.1f}"

    path = [f"M{x(since)} {y(opening)}"]
    for moment, balance in points:
        path.append(f"H{x(moment)} V{y(balance)}")
    path.append(f"H{x(now)}")

    months = []
    first = timezone.localtime(since).date().replace(day=1)
    month = add_months(first, 1)
    while local_midnight(month) <= now:
        months.append({"x": x(local_midnight(month)), "label": f"{month:%b}"})
        month = add_months(month, 1)
    ticks = [{"y": y(value), "label": f"{value.normalize():f}"} for value in (Decimal(0), top / 2, top)]
    balances = [opening, *(b for _, b in points)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "label_x": LEFT - 4,
        "month_y": HEIGHT - 6,
        "path": " ".join(path), "months": months, "ticks": ticks,
        "summary": f"From {opening.normalize():f} hours on {timezone.localtime(since):%d %b %Y} to "
        f"{balances[-1].normalize():f} hours now; highest {max(balances).normalize():f} hours.",
    }


"""The rota's section on the home page: shifts needing cover for planners, offers and next shifts for PAs."""
from django.urls import reverse
from freezegun import freeze_time

from rota import services

from .factories import YEAR, at


def test_planner_sees_shifts_needing_cover_and_pa_sees_offers(client, family, parent, pa, pa2,
                                                              django_capture_on_commit_callbacks):
    with freeze_time(f"{YEAR}-02-20"):
        sick = services.create_shift(recipient=family, start=at(f"{YEAR}-03-01", 9), end=at(f"{YEAR}-03-01", 12),
                                     kind="day", actor=parent, pa=pa)
        services.mark_needs_cover(shift=sick, actor=parent, reason="Jordan is ill")
        open_shift = services.create_shift(recipient=family, start=at(f"{YEAR}-03-02", 9), end=at(f"{YEAR}-03-02", 12),
                                           kind="day", actor=parent)
        services.offer_shift(shift=open_shift, actor=parent)
        client.force_login(parent)
        body = client.get(reverse("home")).content.decode()
        assert "Needs cover — Alfie Testcase: Mon 01 Mar 09:00–12:00" in body
        assert "Jordan is ill" in body and "Alfie Testcase: 1 open shift(s)" in body
        client.force_login(pa2)
        body = client.get(reverse("home")).content.decode()
        assert "Shift offered to you — Alfie Testcase: Tue 02 Mar" in body
        assert "Needs cover" not in body

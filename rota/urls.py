from django.urls import path

from . import swap_views, views

app_name = "rota"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("reminders/", views.reminders, name="reminders"),
    path("availability/", views.availability, name="availability"),
    path("availability/<int:unavailability_pk>/remove/", views.availability_remove, name="availability_remove"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical"),
    path("shifts/<int:shift_pk>/", views.shift_detail, name="shift"),
    path("shifts/<int:shift_pk>/edit/", views.edit_shift, name="edit"),
    path("shifts/<int:shift_pk>/assign/", views.assign_shift, name="assign"),
    path("shifts/<int:shift_pk>/offer/", views.offer_shift, name="offer"),
    path("shifts/<int:shift_pk>/widen/", views.widen_offer, name="widen"),
    path("shifts/<int:shift_pk>/cancel/", views.cancel_shift, name="cancel"),
    path("shifts/<int:shift_pk>/needs-cover/", views.needs_cover, name="needs_cover"),
    path("shifts/<int:shift_pk>/answer/", views.answer_offer, name="answer"),
    path("shifts/<int:shift_pk>/swap/", swap_views.swap_ask, name="swap_ask"),
    path("shifts/<int:shift_pk>/drop/", swap_views.swap_drop, name="swap_drop"),
    path("swaps/<int:swap_pk>/answer/", swap_views.swap_answer, name="swap_answer"),
    path("swaps/<int:swap_pk>/withdraw/", swap_views.swap_withdraw, name="swap_withdraw"),
    path("swaps/<int:swap_pk>/decide/", swap_views.swap_decide, name="swap_decide"),
    path("patterns/<int:pattern_pk>/", views.pattern_detail, name="pattern"),
    path("patterns/<int:pattern_pk>/end/", views.pattern_end, name="pattern_end"),
    path("<int:recipient_pk>/", views.week, name="week"),
    path("<int:recipient_pk>/patterns/new/", views.pattern_new, name="pattern_new"),
    path("<int:recipient_pk>/copy-week/", views.copy_week, name="copy_week"),
    path("<int:recipient_pk>/settings/", views.rota_settings, name="settings"),
    path("<int:recipient_pk>/swaps/", swap_views.swaps, name="swaps"),
    path("<int:recipient_pk>/new/", views.new_shift, name="new"),
    path("<int:recipient_pk>/budget/", views.budget, name="budget"),
]

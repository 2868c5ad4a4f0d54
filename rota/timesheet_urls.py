from django.urls import path

from . import timesheet_views as views

app_name = "timesheets"
urlpatterns = [
    path("<int:timesheet_pk>/", views.timesheet_detail, name="detail"),
    path("<int:timesheet_pk>/confirm/", views.confirm, name="confirm"),
    path("<int:timesheet_pk>/correct/", views.correct, name="correct"),
    path("<int:timesheet_pk>/approve/", views.approve, name="approve"),
    path("<int:timesheet_pk>/query/", views.query, name="query"),
    path("family/<int:recipient_pk>/", views.timesheet_list, name="list"),
    path("family/<int:recipient_pk>/worked/", views.record_worked, name="worked"),
]

from django.urls import path

from . import views

app_name = "employment"
urlpatterns = [
    path("<int:recipient_pk>/terms/", views.terms, name="terms"),
    path("<int:recipient_pk>/leave/", views.leave, name="leave"),
    path("<int:recipient_pk>/sickness/", views.record_sickness, name="sickness"),
    path("absences/<int:absence_pk>/decide/", views.decide, name="decide"),
]

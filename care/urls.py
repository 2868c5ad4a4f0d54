from django.urls import path

from . import views

urlpatterns = [
    path("", views.home_page, name="home"),
    path("people/<int:recipient_pk>/", views.recipient_page, name="recipient"),
]

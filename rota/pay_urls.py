from django.urls import path

from . import pay_views

app_name = "pay"
urlpatterns = [
    path("<int:recipient_pk>/", pay_views.pay_period, name="period"),
    path("<int:recipient_pk>/export.csv", pay_views.export, name="export"),
]

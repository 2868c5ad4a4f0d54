from django.urls import path

from . import views

app_name = "competencies"
urlpatterns = [
    path("people/<int:recipient_pk>/", views.matrix, name="matrix"),
    path("<int:competency_pk>/", views.detail, name="detail"),
    path("<int:competency_pk>/suspend/", views.suspend, name="suspend"),
    path("<int:competency_pk>/revoke/", views.revoke, name="revoke"),
    path("<int:competency_pk>/reinstate/", views.reinstate, name="reinstate"),
]

from django.urls import path

from . import views

app_name = "respite"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:recipient_pk>/", views.person, name="person"),
    path("accounts/<int:account_pk>/", views.account_page, name="account"),
    path("accounts/<int:account_pk>/book/", views.book, name="book"),
    path("accounts/<int:account_pk>/adjust/", views.adjust, name="adjust"),
    path("accounts/<int:account_pk>/allowance/", views.allowance, name="allowance"),
    path("people/<int:recipient_pk>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:assessment_pk>/", views.assessment_page, name="assessment"),
    path("bookings/<int:booking_pk>/approve/", views.approve, name="approve"),
    path("bookings/<int:booking_pk>/decline/", views.decline, name="decline"),
    path("bookings/<int:booking_pk>/cancel/", views.cancel, name="cancel"),
]

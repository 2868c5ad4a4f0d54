from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from care.twofactor import two_factor
from care.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", two_factor, name="two-factor"),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("competencies/", include("competencies.urls")),
    path("workflows/", include("workflows.urls")),
    path("rota/", include("rota.urls")),
    path("respite/", include("respite.urls")),
    path("", include("care.urls")),
]

from django.contrib import admin
from django.urls import include, path

from paworkflow.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("competencies/", include("competencies.urls")),
    path("workflows/", include("workflows.urls")),
    path("employment/", include("employment.urls")),
    path("rota/", include("rota.urls")),
    path("timesheets/", include("rota.timesheet_urls")),
    path("pay/", include("rota.pay_urls")),
    path("respite/", include("respite.urls")),
    path("", include("accounts.urls")),
    path("", include("care.urls")),
]

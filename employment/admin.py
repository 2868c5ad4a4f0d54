from django.contrib import admin

from care.audit import StaffViewsAudited
from care.kernel.admin import ReadOnlyAdmin

from .models import Absence, Terms


@admin.register(Terms)
class TermsAdmin(StaffViewsAudited, ReadOnlyAdmin):
    list_display = ["pa", "recipient", "effective_from", "hourly_rate", "sleep_in_allowance", "contract"]
    list_select_related = ["pa", "recipient"]


@admin.register(Absence)
class AbsenceAdmin(StaffViewsAudited, ReadOnlyAdmin):
    """Leave and sickness are decided on the leave page (audited, told to the rota), not here."""

    list_display = ["pa", "recipient", "kind", "first_day", "last_day", "status"]
    list_select_related = ["pa", "recipient"]

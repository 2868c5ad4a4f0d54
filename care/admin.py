from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .kernel.admin import ReadOnlyAdmin
from .models import (
    AuditEvent,
    CareRecipient,
    ClinicianProfile,
    Invitation,
    Membership,
    PAProfile,
    PersonalHealthBudget,
    Profile,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "recipient"
    extra = 0
    fields = ["user", "role", "started_on", "ended_on", "end_reason"]
    readonly_fields = ["ended_on", "end_reason"]


@admin.register(CareRecipient)
class CareRecipientAdmin(GuardedModelAdmin):
    list_display = ["display_name", "nhs_number", "date_of_birth"]
    search_fields = ["display_name", "nhs_number"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "recipient", "started_on", "ended_on"]
    list_filter = ["role"]
    list_select_related = ["user", "recipient"]
    search_fields = ["user__username", "recipient__display_name"]
    readonly_fields = ["access_removed_at", "created_by", "ended_by", "created_at"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "mobile", "sms_consent"]
    search_fields = ["user__username", "mobile"]


@admin.register(PAProfile)
class PAProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "hourly_rate", "sleep_in_rate"]


@admin.register(ClinicianProfile)
class ClinicianProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "register", "registration_number", "organisation"]


@admin.register(PersonalHealthBudget)
class PersonalHealthBudgetAdmin(admin.ModelAdmin):
    list_display = ["recipient", "management_option", "period_start", "period_end", "amount"]
    list_select_related = ["recipient"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: audit rows are only ever inserted by services."""

    list_display = ["at", "actor", "recipient", "action", "summary"]
    list_filter = ["action"]
    list_select_related = ["actor", "recipient"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations change through the circle page (send, resend, withdraw, accept)."""

    list_display = ["first_name", "last_name", "role", "recipient", "status", "expires_at", "created_by"]
    list_filter = ["status", "role"]
    list_select_related = ["recipient", "created_by"]
    search_fields = ["first_name", "last_name", "mobile", "email", "recipient__display_name"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

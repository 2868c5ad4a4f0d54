"""Admin for people and circles. Nothing here deletes (end a membership, deactivate a user);
memberships added here get their permissions through care.permissions like any other."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from guardian.admin import GuardedModelAdmin

from .audit import StaffViewsAudited
from .kernel.admin import NoDeleteMixin, ReadOnlyAdmin
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
    can_delete = False


@admin.register(CareRecipient)
class CareRecipientAdmin(StaffViewsAudited, NoDeleteMixin, GuardedModelAdmin):
    def audited_recipient(self, obj):
        return obj

    list_display = ["display_name", "nhs_number", "date_of_birth"]
    search_fields = ["display_name", "nhs_number"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(StaffViewsAudited, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["user", "role", "recipient", "started_on", "ended_on"]
    list_filter = ["role"]
    list_select_related = ["user", "recipient"]
    search_fields = ["user__username", "recipient__display_name"]
    readonly_fields = ["access_removed_at", "created_by", "ended_by", "created_at"]


@admin.register(Profile)
class ProfileAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["user", "mobile", "sms_consent"]
    search_fields = ["user__username", "mobile"]


@admin.register(PAProfile)
class PAProfileAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["user", "hourly_rate", "sleep_in_rate"]


@admin.register(ClinicianProfile)
class ClinicianProfileAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["user", "register", "registration_number", "organisation"]


@admin.register(PersonalHealthBudget)
class PersonalHealthBudgetAdmin(StaffViewsAudited, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "management_option", "period_start", "period_end", "amount", "guessed"]
    list_filter = ["kind", "management_option", "continuing_care"]
    list_select_related = ["recipient"]
    readonly_fields = ["guessed"]

    def save_model(self, request, obj, form, change):
        # Someone has looked at the values the upgrade guessed and saved them: they are checked now.
        obj.guessed = []
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: audit rows are only ever inserted by services."""

    list_display = ["at", "actor_name", "recipient", "action", "summary"]
    list_filter = ["action"]
    list_select_related = ["actor", "recipient"]


@admin.register(Invitation)
class InvitationAdmin(StaffViewsAudited, NoDeleteMixin, admin.ModelAdmin):
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


# Users are deactivated, never deleted: their audit rows, decisions and memberships name them.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class KeptUserAdmin(NoDeleteMixin, UserAdmin):
    """Django's user admin without delete: deactivate a user, so their records keep who acted."""

"""Read-only admin for delegations: every row is written by the flow's steps, never edited."""
from django.contrib import admin

from .delegation_models import DelegationAgreement, DelegationProcess, DelegationRiskAssessment


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RiskAssessmentInline(ReadOnly, admin.TabularInline):
    model = DelegationRiskAssessment
    extra = 0
    fields = readonly_fields = ["assessor", "assessed_at", "decision", "hazards", "controls", "reason"]


class AgreementInline(ReadOnly, admin.TabularInline):
    model = DelegationAgreement
    extra = 0
    fields = readonly_fields = ["party", "given_by", "at", "agreed", "notes"]


@admin.register(DelegationProcess)
class DelegationProcessAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pk", "healthcare_task", "pa", "recipient", "status", "outcome", "created"]
    list_filter = ["status", "outcome"]
    list_select_related = ["healthcare_task", "pa", "recipient"]
    exclude = ["data", "parent_task", "seed_content_type", "seed_object_id", "artifact_content_type",
               "artifact_object_id"]
    inlines = [RiskAssessmentInline, AgreementInline]

"""Read-only admin for delegations: every row is written by the flow's steps, never edited."""
from django.contrib import admin

from care.audit import StaffViewsAudited
from care.kernel.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import DelegationAgreement, DelegationProcess, DelegationRiskAssessment


class RiskAssessmentInline(ReadOnlyInline):
    model = DelegationRiskAssessment
    fields = readonly_fields = ["assessor", "assessed_at", "decision", "hazards", "controls", "reason"]


class AgreementInline(ReadOnlyInline):
    model = DelegationAgreement
    fields = readonly_fields = ["party", "given_by", "at", "agreed", "notes"]


@admin.register(DelegationProcess)
class DelegationProcessAdmin(StaffViewsAudited, ReadOnlyAdmin):
    list_display = ["pk", "healthcare_task", "pa", "recipient", "status", "outcome", "created"]
    list_filter = ["status", "outcome"]
    list_select_related = ["healthcare_task", "pa", "recipient"]
    exclude = ["data", "parent_task", "seed_content_type", "seed_object_id", "artifact_content_type",
               "artifact_object_id"]
    inlines = [RiskAssessmentInline, AgreementInline]

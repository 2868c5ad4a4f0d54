"""Read-only admin for hospital agreements: every row is written by the flow and its services."""
from django.contrib import admin

from care.audit import StaffViewsAudited
from care.kernel.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    AgreementEvent, ConditionsRead, HomeShift, HospitalAgreement, HospitalShift, HospitalTaskDecision, WardLink,
    WardReview,
)


class TaskDecisionInline(ReadOnlyInline):
    model = HospitalTaskDecision
    fields = readonly_fields = ["pa", "task", "competency", "ward_allows"]


class WardReviewInline(ReadOnlyInline):
    model = WardReview
    fields = readonly_fields = ["at", "decision", "reviewer", "reviewer_name", "reviewer_role", "via_link", "reason",
                                "changes"]


class EventInline(ReadOnlyInline):
    model = AgreementEvent
    fields = readonly_fields = ["at", "kind", "actor", "reason"]


class ShiftInline(ReadOnlyInline):
    model = HospitalShift
    fields = readonly_fields = ["shift"]


class HomeShiftInline(ReadOnlyInline):
    model = HomeShift
    fields = readonly_fields = ["shift", "choice", "was", "restored"]


class ConditionsReadInline(ReadOnlyInline):
    model = ConditionsRead
    fields = readonly_fields = ["pa", "at"]


class LinkInline(ReadOnlyInline):
    model = WardLink
    # never the hash: it is not a secret on its own, but nobody needs it
    fields = readonly_fields = ["purpose", "sent_to", "created_by", "created_at", "expires_at", "used_at",
                                "revoked_at"]


@admin.register(HospitalAgreement)
class HospitalAgreementAdmin(StaffViewsAudited, ReadOnlyAdmin):
    list_display = ["pk", "recipient", "hospital", "ward", "state", "admission_date", "expected_discharge"]
    list_filter = ["state"]
    list_select_related = ["recipient"]
    exclude = ["data", "parent_task", "seed_content_type", "seed_object_id", "artifact_content_type",
               "artifact_object_id"]
    inlines = [TaskDecisionInline, WardReviewInline, EventInline, ShiftInline, HomeShiftInline, ConditionsReadInline,
               LinkInline]

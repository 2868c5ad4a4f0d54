"""Read-only admin: every row here is written by competencies.services and never edited."""
from django.contrib import admin

from care.audit import StaffViewsAudited
from care.kernel.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Assessment, Competency, CompetencyEvent, HealthcareTask, Reminder, SignOff, TrainingRecord


@admin.register(HealthcareTask)
class HealthcareTaskAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "delegable", "risk_level", "review_interval_days", "supervised_practices_required"]
    list_filter = ["category", "delegable", "risk_level"]


class SignOffInline(ReadOnlyInline):
    model = SignOff
    readonly_fields = ["kind", "signed_off_by", "signed_off_at", "valid_from", "valid_until", "notes"]
    fields = readonly_fields


class EventInline(ReadOnlyInline):
    model = CompetencyEvent
    readonly_fields = ["status", "actor", "at", "reason"]
    fields = readonly_fields


@admin.register(Competency)
class CompetencyAdmin(StaffViewsAudited, ReadOnlyAdmin):
    list_display = ["pa", "task", "recipient", "status", "valid_until"]
    list_filter = ["status", "task__category"]
    list_select_related = ["pa", "task", "recipient"]
    search_fields = ["pa__username", "recipient__display_name", "task__name"]
    inlines = [SignOffInline, EventInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ReadOnlyAdmin):
    list_display = ["competency", "trained_on", "method", "trainer", "supervised_practices"]
    list_select_related = ["competency__task", "competency__pa", "competency__recipient", "trainer"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["competency", "assessed_on", "assessor", "outcome"]
    list_select_related = ["competency__task", "competency__pa", "competency__recipient", "assessor"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["competency", "days_before", "valid_until", "sent_at"]

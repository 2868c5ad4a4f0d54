"""Read-only admin: ledger rows are only ever inserted by respite.services."""
from django.contrib import admin

from care.audit import StaffViewsAudited
from care.kernel.admin import ReadOnlyAdmin

from .models import (
    AssessmentReviewReminder, BookingDecision, CarerAssessment, Entry, ExpiryReminder, Lot, RespiteAccount,
    RespiteBooking,
)


@admin.register(RespiteAccount)
class RespiteAccountAdmin(StaffViewsAudited, ReadOnlyAdmin):
    list_display = ["carer", "recipient", "allowance_hours", "period_length", "period_unit", "cap_hours",
                    "carry_over_hours", "expiry_months", "closed_on"]
    list_select_related = ["carer", "recipient"]
    search_fields = ["carer__username", "recipient__display_name"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "account", "kind", "hours", "period_start", "booking", "actor", "reason"]
    list_filter = ["kind"]
    list_select_related = ["account__carer", "account__recipient", "booking", "actor"]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["account", "hours", "credited_on", "expires_on"]
    list_select_related = ["account__carer", "account__recipient"]


@admin.register(RespiteBooking)
class RespiteBookingAdmin(ReadOnlyAdmin):
    list_display = ["account", "start", "end", "hours", "status", "booked_by"]
    list_filter = ["status"]
    list_select_related = ["account__carer", "account__recipient", "booked_by"]


@admin.register(BookingDecision)
class BookingDecisionAdmin(ReadOnlyAdmin):
    list_display = ["booking", "outcome", "decided_by", "decided_at"]


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(ReadOnlyAdmin):
    list_display = ["account", "expires_on", "hours", "sent_at"]


@admin.register(CarerAssessment)
class CarerAssessmentAdmin(StaffViewsAudited, ReadOnlyAdmin):
    """Read-only: a carer's assessment is recorded once; a review is a new one."""

    list_display = ["carer", "recipient", "assessed_on", "eligibility", "respite_hours", "review_on"]
    list_select_related = ["carer", "recipient"]


@admin.register(AssessmentReviewReminder)
class AssessmentReviewReminderAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "review_on", "sent_at"]

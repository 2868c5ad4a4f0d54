"""Read-only admin: ledger rows are only ever inserted by respite.services."""
from django.contrib import admin

from .models import BookingDecision, Entry, ExpiryReminder, Lot, RespiteAccount, RespiteBooking


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RespiteAccount)
class RespiteAccountAdmin(ReadOnly):
    list_display = ["carer", "recipient", "allowance_hours", "period_length", "period_unit", "cap_hours",
                    "carry_over_hours", "expiry_months", "closed_on"]
    list_select_related = ["carer", "recipient"]
    search_fields = ["carer__username", "recipient__display_name"]


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["at", "account", "kind", "hours", "period_start", "booking", "actor", "reason"]
    list_filter = ["kind"]
    list_select_related = ["account__carer", "account__recipient", "booking", "actor"]


@admin.register(Lot)
class LotAdmin(ReadOnly):
    list_display = ["account", "hours", "credited_on", "expires_on"]
    list_select_related = ["account__carer", "account__recipient"]


@admin.register(RespiteBooking)
class RespiteBookingAdmin(ReadOnly):
    list_display = ["account", "start", "end", "hours", "status", "booked_by"]
    list_filter = ["status"]
    list_select_related = ["account__carer", "account__recipient", "booked_by"]


@admin.register(BookingDecision)
class BookingDecisionAdmin(ReadOnly):
    list_display = ["booking", "outcome", "decided_by", "decided_at"]


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(ReadOnly):
    list_display = ["account", "expires_on", "hours", "sent_at"]

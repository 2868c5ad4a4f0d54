"""Admin for the rota. Changes go through rota.services, like the page and SMS replies, so the
same rules (optimistic lock, overlap, competency gate) refuse the same things here."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from care.audit import StaffViewsAudited
from care.kernel.admin import NoDeleteMixin, ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import CalendarFeed, Offer, OfferRecipient, OfferResponse, RotaChange, Shift, Swap


class ShiftAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Shift
        fields = ["start", "end", "kind", "tasks", "notes", "location"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        # The service is the only writer: run it here, inside the admin's transaction, so its
        # refusal shows on the form; save_model then has nothing left to do.
        data = super().clean()
        if self.errors:
            return data
        try:
            self.saved = services.update_shift(
                shift=self.instance, actor=self.actor, expected_version=data.get("expected_version"),
                start=data["start"], end=data["end"], kind=data["kind"], tasks=data["tasks"],
                notes=data["notes"], location=data["location"],
            )
        except services.StaleShift as stale:
            raise ValidationError(f"{services.STALE_MESSAGE} It is now version {stale.current.version}; reload the page.")
        return data


class OfferResponseInline(ReadOnlyInline):
    model = OfferResponse
    readonly_fields = ["pa", "answer", "outcome", "channel", "detail", "at"]


class OfferRecipientInline(ReadOnlyInline):
    model = OfferRecipient
    readonly_fields = ["pa", "texted"]


@admin.register(Shift)
class ShiftAdmin(StaffViewsAudited, admin.ModelAdmin):
    form = ShiftAdminForm
    list_display = ["start", "end", "kind", "recipient", "pa", "status", "needs_cover"]
    list_filter = ["status", "kind", "needs_cover"]
    list_select_related = ["recipient", "pa"]
    search_fields = ["recipient__display_name", "pa__username", "pa__last_name"]
    date_hierarchy = "start"
    readonly_fields = ["recipient", "pa", "status", "needs_cover", "cover_reason", "cancel_reason", "version",
                       "created_by", "created_at", "updated_at"]
    actions = ["cancel_selected"]

    def has_add_permission(self, request):
        return False  # shifts are added on the rota page, where the circle is known

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: texts go out and the change reaches live pages

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        pass  # ShiftAdminForm.clean already saved it through rota.services.update_shift

    def save_related(self, request, form, formsets, change):
        pass

    @admin.action(description="Cancel selected shifts (texts their PAs)")
    def cancel_selected(self, request, queryset):
        cancelled = 0
        for shift in queryset:
            try:
                services.cancel_shift(shift=shift, actor=request.user, reason="Cancelled by an administrator")
                cancelled += 1
            except ValidationError as refusal:
                self.message_user(request, f"{shift}: {' '.join(refusal.messages)}", messages.WARNING)
        self.message_user(request, f"Cancelled {cancelled} shift(s).")


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["code", "shift", "created_at", "closed_at", "taken_by"]
    list_select_related = ["shift__recipient", "taken_by"]
    readonly_fields = ["shift", "code", "created_by", "created_at", "closed_at", "taken_by"]
    inlines = [OfferRecipientInline, OfferResponseInline]


@admin.register(Swap)
class SwapAdmin(ReadOnlyAdmin):
    """Read-only: a swap moves on only through rota.services (the page or a text reply)."""

    list_display = ["shift", "kind", "from_pa", "to_pa", "status", "created_at", "decided_at"]
    list_select_related = ["shift__recipient", "from_pa", "to_pa"]
    list_filter = ["kind", "status"]
    readonly_fields = ["shift", "kind", "from_pa", "to_pa", "reason", "code", "status", "shift_version", "created_at",
                       "answered_at", "decided_at", "decided_by", "detail"]


@admin.register(RotaChange)
class RotaChangeAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["recipient", "seq", "shift", "at"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["pa", "created_at", "revoked_at"]
    list_select_related = ["pa"]
    # The token is the PA's private calendar address: only they see it, on their calendar page.
    exclude = ["token"]
    readonly_fields = ["pa", "created_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

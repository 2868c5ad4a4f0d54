"""Read-only admin: texts, opt-outs and replies are records of what happened, changed only by services."""
from django.contrib import admin

from .models import InboundMessage, Message, OptOut
from .redaction import without_links


# Our own small read-only admin, not care.kernel's: notifications is the floor and imports no app above it.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "masked_to", "user", "recipient", "purpose", "status", "attempts", "segments"]
    list_filter = ["status", "purpose", "encoding"]
    list_select_related = ["user", "recipient"]
    search_fields = ["to", "provider_id", "idempotency_key", "user__username"]
    date_hierarchy = "created_at"
    # The body's links carry their addressee's single-use keys (a ward's review link, an
    # invitation): staff see what the text said, with each link shown as "[link]".
    exclude = ["body"]
    readonly_fields = ["text"]

    @admin.display(description="body")
    def text(self, message):
        return without_links(message.body)


@admin.register(OptOut)
class OptOutAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["number"]


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "from_number", "user", "keyword", "body", "reply"]
    list_filter = ["keyword"]
    list_select_related = ["user"]
    search_fields = ["from_number", "provider_id", "user__username"]

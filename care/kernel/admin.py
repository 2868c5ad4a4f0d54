"""The admin's shared rules: read-only for records the services write (staff can look, never add,
edit or delete), and no delete for what the product ends or deactivates instead."""
from django.contrib import admin


class NoDeleteMixin:
    """For people, users, memberships and flow history: the admin deletes through the ORM and
    bypasses services (permissions, listeners, audit), so an admin ends a membership on the
    circle page and deactivates a user instead. Without the delete permission Django also drops
    the "delete selected" action."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Records the services write: staff look, never add, edit or delete."""


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    max_num = 0

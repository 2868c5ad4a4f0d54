"""Viewflow's own process and task admins, read-only: a task deleted or edited here would
rewrite a delegation's or agreement's history (a consent step gone). Checked against
django-viewflow 2.4's viewflow/workflow/admin.py, which registers both with delete allowed."""
from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from care.kernel.admin import NoDeleteMixin


class ReadOnlyFlowMixin(NoDeleteMixin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class KeptProcessAdmin(ReadOnlyFlowMixin, ProcessAdmin):
    """Viewflow's process admin, read-only: a process's history is a clinical record."""


@admin.register(Task)
class KeptTaskAdmin(ReadOnlyFlowMixin, TaskAdmin):
    """Viewflow's task admin, read-only: deleting a step would rewrite who consented and when."""

"""The audit trail's two ends: staff looking at a person's record is written down, and the
coordinator reads the trail of the families they coordinate. Rows are only ever inserted
(AuditEvent refuses updates and deletes)."""
from django.db.models import Q

from .models import AuditEvent
from .permissions import STAFF_PERMISSIONS, can, recipients_for

STAFF_VIEW = "record.viewed"

# What a coordinator filters the trail by: the decisions the issue names and the views.
KINDS = {
    "": ("Everything", None),
    "clinical": ("Sign-offs, reviews, suspensions and revocations",
                 Q(action__startswith="competency.") | Q(action="delegation.reviewed")
                 | Q(action="delegation.risk_assessed")),
    "consent": ("Consent and agreements", Q(action="delegation.agreement") | Q(action__startswith="hospital.")),
    "views": ("Staff views of the record", Q(action=STAFF_VIEW)),
    "circle": ("Who joined and left", Q(action__startswith="membership.") | Q(action__startswith="invitation.")),
    "rota": ("Rota, timesheets, leave and respite", Q(action__startswith="rota.") | Q(action__startswith="respite.")
             | Q(action__startswith="employment.")),
}


def is_staff_for(user, recipient):
    return bool(user.is_staff or any(can(user, codename, recipient) for codename in STAFF_PERMISSIONS))


def record_staff_view(request, recipient, page):
    """One row per page of a person's record opened by staff (clinician, coordinator, ward, admin).

    Families looking at their own record are not audited; only a page actually shown (GET) is.
    """
    if request.method != "GET" or not is_staff_for(request.user, recipient):
        return None
    return AuditEvent.objects.create(actor=request.user, recipient=recipient, action=STAFF_VIEW, summary=page[:300])


class StaffViewsAudited:
    """ModelAdmin mixin for a person's record: its change and history pages, and each person on
    a list page, are recorded as staff views (the change page shows NHS number and address).
    `audited_recipient(obj)` names whose record an object is; by default `obj.recipient`."""

    def audited_recipient(self, obj):
        return obj.recipient

    def _record(self, request, response, objects):
        if getattr(response, "status_code", None) != 200:
            return
        name = self.model._meta.verbose_name
        seen = set()
        for obj in objects:
            recipient = self.audited_recipient(obj)
            if recipient is not None and (recipient.pk, obj.pk) not in seen:
                seen.add((recipient.pk, obj.pk))
                record_staff_view(request, recipient, f"Admin: {name} {obj.pk}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        self._record(request, response, [original] if original is not None else [])
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        shown = getattr(response, "context_data", {}).get("object")
        self._record(request, response, [shown] if shown is not None else [])
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        self._record(request, response, changelist.result_list if changelist is not None else [])
        return response


def trail_for(user, *, recipient=None, kind=""):
    """Audit rows of the families this user coordinates, newest first (actor and person joined)."""
    events = AuditEvent.objects.filter(recipient__in=recipients_for(user, "coordinate").values("pk"))
    if recipient is not None:
        events = events.filter(recipient=recipient)
    condition = KINDS.get(kind, KINDS[""])[1]
    if condition is not None:
        events = events.filter(condition)
    return events.select_related("actor", "recipient").order_by("-at", "-pk")

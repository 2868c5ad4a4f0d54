"""Home (the people someone is in the circle of, and what needs their attention) and the person's page."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import home
from ..audit import record_staff_view
from ..models import Membership
from ..permissions import can, may_create_family, recipient_permission_required, recipients_for


@require_GET
@login_required
def home_page(request):
    memberships = (
        Membership.objects.active()
        .filter(user=request.user, recipient__in=recipients_for(request.user))
        .select_related("recipient")
        .order_by("recipient__display_name", "role")
    )
    people = {}
    for m in memberships:
        people.setdefault(m.recipient, []).append(m.get_role_display())
    return render(
        request,
        "care/home.html",
        {
            "people": list(people.items()),
            "sections": home.sections_for(request.user, list(people)),
            "has_caseload": may_create_family(request.user),
        },
    )


@require_GET
@recipient_permission_required()
def recipient_page(request, recipient):
    members = (
        recipient.memberships.active().select_related("user", "user__profile").order_by("role", "user__first_name")
    )
    my_roles = {m.role for m in members if m.user_id == request.user.pk}
    record_staff_view(request, recipient, "Person page")
    user = request.user
    context = {"recipient": recipient, "members": members, "my_roles": my_roles,
               "can_manage": can(user, "manage_circle", recipient),
               # the same questions the linked pages ask, so nobody is shown a link to a refusal
               "sees_respite": can(user, "use_respite", recipient) or can(user, "coordinate", recipient),
               "sees_texts": can(user, "view_budget", recipient) or can(user, "manage_circle", recipient),
               "coordinates": can(user, "coordinate", recipient)}
    return render(request, "care/recipient.html", context)

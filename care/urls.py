from django.urls import path

from .views import audit, circle, families, home, join, messages, phb_return

urlpatterns = [
    path("", home.home_page, name="home"),
    path("people/<int:recipient_pk>/", home.recipient_page, name="recipient"),
    # The circle: who is in it, invitations, leaving.
    path("people/<int:recipient_pk>/circle/", circle.circle_page, name="circle"),
    path("people/<int:recipient_pk>/invite/", circle.invite, name="invite"),
    path("people/<int:recipient_pk>/add-pa/", circle.add_pa, name="add_pa"),
    path("invitations/<int:invitation_pk>/resend/", circle.invitation_resend, name="invitation_resend"),
    path("invitations/<int:invitation_pk>/revoke/", circle.invitation_revoke, name="invitation_revoke"),
    path("memberships/<int:membership_pk>/end/", circle.membership_end, name="membership_end"),
    path("memberships/<int:membership_pk>/login-link/", circle.membership_account_link,
         name="membership_account_link"),
    path("join/<str:invitation_token>/", join.join, name="join"),
    # The texts sent to a circle; the path is the one it had when the page lived in notifications.
    path("notifications/<int:recipient_pk>/messages/", messages.circle_messages, name="circle_messages"),
    # Coordinators.
    path("families/", families.caseload, name="caseload"),
    path("families/new/", families.family_create, name="family_create"),
    path("families/return.csv", phb_return.return_csv, name="phb_return_csv"),
    path("families/return/", phb_return.return_page, name="phb_return"),
    path("audit/", audit.audit_log, name="audit_log"),
]

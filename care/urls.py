from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_account, views_audit, views_circle, views_families, views_join

urlpatterns = [
    path("", views.home_page, name="home"),
    path("people/<int:recipient_pk>/", views.recipient_page, name="recipient"),
    # The circle: who is in it, invitations, leaving.
    path("people/<int:recipient_pk>/circle/", views_circle.circle_page, name="circle"),
    path("people/<int:recipient_pk>/invite/", views_circle.invite, name="invite"),
    path("people/<int:recipient_pk>/add-pa/", views_circle.add_pa, name="add_pa"),
    path("invitations/<int:invitation_pk>/resend/", views_circle.invitation_resend, name="invitation_resend"),
    path("invitations/<int:invitation_pk>/revoke/", views_circle.invitation_revoke, name="invitation_revoke"),
    path("memberships/<int:membership_pk>/end/", views_circle.membership_end, name="membership_end"),
    path("memberships/<int:membership_pk>/login-link/", views_circle.membership_account_link,
         name="membership_account_link"),
    path("join/<str:invitation_token>/", views_join.join, name="join"),
    # Coordinators.
    path("families/", views_families.caseload, name="caseload"),
    path("families/new/", views_families.family_create, name="family_create"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    # Getting back in: by email (Django's views) or by a texted code.
    path("password-reset/", views_account.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views_account.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("recover/", views_account.recover_by_text, name="recover_by_text"),
    path("recover/code/", views_account.recover_by_text_code, name="recover_by_text_code"),
]

"""Password reset by email through Django's views: links from PUBLIC_BASE_URL, no enumeration,
a throttle, and a link opened while logged in as someone else asks to log out first."""
import re

from django.core import mail
from django.urls import reverse

from care.models import AuditEvent

NEW_PASSWORD = "Kettle-Harbour-Ribbon-27"


def reset_link(settings):
    [message] = mail.outbox
    match = re.search(re.escape(settings.PUBLIC_BASE_URL) + r"(/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_an_emailed_link_sets_a_new_password(client, settings, parent):
    settings.PUBLIC_BASE_URL = "https://pa.example.org"
    response = client.post(reverse("password_reset"), {"email": parent.email.upper()})
    assert response["Location"] == reverse("password_reset_done")
    link = reset_link(settings)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    assert client.login(username=parent.username, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=parent, action="account.password_reset_by_email").exists()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, parent):
    known = client.post(reverse("password_reset"), {"email": parent.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_reset_emails_are_throttled_per_address(client, parent):
    for i in range(3):
        assert client.post(reverse("password_reset"), {"email": parent.email},
                           REMOTE_ADDR=f"198.51.100.{i}").status_code == 302
    response = client.post(reverse("password_reset"), {"email": parent.email}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert len(mail.outbox) == 3


def test_a_reset_link_opened_while_logged_in_as_someone_else_asks_to_log_out_first(client, settings, parent, pa):
    client.post(reverse("password_reset"), {"email": parent.email})
    link = reset_link(settings)
    client.force_login(pa)
    response = client.get(link)
    assert response.status_code == 403 and "Log out first" in response.content.decode()
    client.logout()
    assert client.get(link).status_code == 302  # Django moves the token into the session

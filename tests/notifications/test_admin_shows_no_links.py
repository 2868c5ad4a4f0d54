"""The admin shows what a text said, never the link in it: a link carries someone else's key."""
from django.urls import reverse

from tests.notifications.factories import MessageFactory

TOKEN = "Q5wh2vI31YebGCg0Vl9u9zKJk-Fm14II"


def test_a_texts_link_is_not_shown_in_the_admin(admin_client):
    message = MessageFactory(body=f"paworkflow: please review agreement H-4. This link works once: "
                                  f"https://example.invalid/workflows/hospital/ward/{TOKEN}/", purpose="hospital-link")
    page = admin_client.get(reverse("admin:notifications_message_change", args=[message.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert TOKEN not in body
    assert "please review agreement H-4" in body and "[link]" in body
    listing = admin_client.get(reverse("admin:notifications_message_changelist") + f"?q={TOKEN}")
    assert TOKEN not in listing.content.decode().replace(f"q={TOKEN}", "").replace(f'value="{TOKEN}"', "")

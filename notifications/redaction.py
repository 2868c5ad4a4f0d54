"""What a page or the admin may show of a text: its words, never its links.

Every link in our texts either carries a single-use token (an invitation, a ward's review link)
or leads behind a login, so showing it to anyone but the person it was sent to gives away a key
(or nothing useful). The addressee has the link on their phone.
"""
import re

LINK = re.compile(r"https?://\S+", re.IGNORECASE)
SHOWN_INSTEAD = "[link]"


def without_links(body):
    return LINK.sub(SHOWN_INSTEAD, body or "")

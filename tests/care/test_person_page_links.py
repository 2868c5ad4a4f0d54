"""Every link on a person's page opens for the person who sees it: nobody is shown a way to a refusal."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def subnav_links(html):
    nav = re.search(r'<nav class="subnav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', nav)]


@pytest.mark.parametrize("who, expected", [
    ("parent", {"Rota", "Competencies", "Delegations", "Hospital", "Respite", "Texts sent"}),
    ("carer", {"Rota", "Competencies", "Delegations", "Hospital", "Respite"}),
    ("pa", {"Rota", "Competencies", "Delegations", "Hospital"}),
    ("nurse", {"Rota", "Competencies", "Delegations", "Hospital"}),
    ("coordinator", {"Rota", "Competencies", "Delegations", "Hospital", "Respite", "Texts sent", "Audit log"}),
])
def test_each_role_sees_the_links_it_may_follow(client, request, family, who, expected):
    user = request.getfixturevalue(who)
    client.force_login(user)
    html = client.get(reverse("recipient", args=[family.pk])).content.decode()
    nav = re.search(r'<nav class="subnav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert set(re.findall(r">([^<>]+)</a>", nav)) == expected
    for href in subnav_links(html):
        assert client.get(href).status_code == 200, href

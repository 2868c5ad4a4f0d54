import pytest
from django.urls import reverse


def test_home_needs_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_home_lists_only_my_people(client, family, other_family, pa, other_pa):
    client.force_login(pa)
    body = client.get(reverse("home")).content.decode()
    assert family.display_name in body and other_family.display_name not in body


def test_login_page_fits_a_phone(client, db):
    body = client.get(reverse("login")).content.decode()
    assert 'name="viewport"' in body and "width=device-width" in body


@pytest.mark.parametrize("name, needs_person", [("home", False), ("recipient", True), ("circle", True),
                                                ("caseload", False)])
def test_pages_that_only_show_refuse_post_with_405(client, family, coordinator, name, needs_person):
    url = reverse(name, args=[family.pk] if needs_person else [])
    client.force_login(coordinator)
    assert client.post(url).status_code == 405
    assert client.get(url).status_code == 200  # the same page, asked properly, is there

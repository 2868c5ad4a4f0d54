"""Pages that only show things answer any other method with 405 (STYLE rule 11), not with the page."""
import pytest
from django.urls import reverse

from respite.models import RespiteAccount
from tests.factories import log_in_with_second_factor


@pytest.fixture
def account(carer, funded_account):
    return funded_account(carer)


@pytest.mark.parametrize("name, args", [("respite:index", ()), ("respite:account", ("account",))])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_pages_that_only_show_refuse_other_methods(client, coordinator, account, name, args, method):
    log_in_with_second_factor(client, coordinator)
    url = reverse(name, args=[account.pk for _ in args])
    assert getattr(client, method)(url, {"hours": "2", "reason": "x"}).status_code == 405
    assert client.get(url).status_code == 200  # the same page, asked the right way
    assert account.balance() == 8


@pytest.mark.parametrize("name, key", [("respite:person", "recipient"), ("respite:book", "account"),
                                       ("respite:adjust", "account")])
def test_forms_accept_get_and_post_only(client, coordinator, carer, family, account, name, key):
    log_in_with_second_factor(client, carer if name == "respite:book" else coordinator)
    url = reverse(name, args=[family.pk if key == "recipient" else account.pk])
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(url).status_code == 405
    assert RespiteAccount.objects.count() == 1

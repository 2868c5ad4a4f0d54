import pytest

from respite import settlement
from tests.respite.factories import RespiteAccountFactory


@pytest.fixture
def funded_account(family):
    """An account for `carer` with its first period's hours credited today."""

    def make(carer, *, hours="8.00", **terms):
        account = RespiteAccountFactory(recipient=family, carer=carer, allowance_hours=hours, **terms)
        settlement.settle_account(account=account)
        return account

    return make


@pytest.fixture(autouse=True)
def _empty_outbox():
    from notifications.backends import locmem

    locmem.clear()
    yield
    locmem.clear()


def texts_to(user):
    from notifications.backends import locmem

    return [text.body for text in locmem.outbox if text.user_pk == user.pk]

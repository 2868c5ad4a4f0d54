"""The live rota socket through the real ASGI stack (origin check, session auth, routing):
who may connect, changes arrive after commit only and in order, reconnecting pages catch up."""
import datetime

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from care.models import Membership, Role
from care.services import end_membership
from rota import live, services
from rota.models import RotaChange

from .factories import YEAR, at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_layer():
    # Each test runs on its own event loop; a layer (and its queues) from an earlier loop must not leak in.
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def socket(recipient, user=None):
    from paworkflow.asgi import application

    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        headers.append((b"cookie", f"sessionid={session_cookie(user)}".encode()))
    return WebsocketCommunicator(application, f"/ws/rota/{recipient.pk}/", headers=headers)


async def open_rota(recipient, user, last_seq=0, week=f"{YEAR}-03-01"):
    communicator = await sync_to_async(socket)(recipient, user)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    await communicator.send_json_to({"type": "hello", "last_seq": last_seq, "week": week})
    return communicator


async def closed_with(communicator):
    message = await communicator.receive_output(timeout=5)
    assert message["type"] == "websocket.close"
    return message["code"]


def add_shift(recipient, actor, hour=9, **kwargs):
    return services.create_shift(recipient=recipient, start=at(f"{YEAR}-03-01", hour), end=at(f"{YEAR}-03-01", hour + 2),
                                 kind="day", actor=actor, **kwargs)


async def test_someone_from_another_family_is_refused_with_4404(family, parent, other_parent):
    communicator = await sync_to_async(socket)(family, other_parent)
    assert (await communicator.connect(timeout=5))[0]
    assert await closed_with(communicator) == 4404
    # The same socket as someone in the circle stays open.
    allowed = await open_rota(family, parent)
    assert (await allowed.receive_json_from(timeout=5))["type"] == "synced"
    await allowed.disconnect()


async def test_anonymous_and_unknown_rotas_are_refused(family, parent, other_family):
    anonymous = await sync_to_async(socket)(family)
    await anonymous.connect(timeout=5)
    assert await closed_with(anonymous) == 4401
    other_family.pk += 1000  # no such person
    missing = await sync_to_async(socket)(other_family, parent)
    await missing.connect(timeout=5)
    assert await closed_with(missing) == 4404


async def test_a_foreign_origin_is_rejected(family, parent):
    from paworkflow.asgi import application

    cookie = await sync_to_async(session_cookie)(parent)
    communicator = WebsocketCommunicator(application, f"/ws/rota/{family.pk}/", headers=[
        (b"origin", b"http://evil.example"), (b"host", b"testserver"), (b"cookie", f"sessionid={cookie}".encode())])
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


async def test_changes_arrive_after_commit_only(family, parent):
    watcher = await open_rota(family, parent)
    assert (await watcher.receive_json_from(timeout=5))["type"] == "synced"

    def change_then_look():
        with transaction.atomic():
            add_shift(family, parent)
            # Inside the transaction: nobody may hear of a change that could still roll back.
            assert async_to_sync(watcher.receive_nothing)(timeout=0.3)

    await sync_to_async(change_then_look)()
    message = await watcher.receive_json_from(timeout=5)
    assert message["type"] == "change" and message["seq"] == 1
    assert message["day"] == f"{YEAR}-03-01" and message["week"] == f"{YEAR}-03-01"
    assert 'class="card shift-card' in message["html"] and "09:00–11:00" in message["html"]
    await watcher.disconnect()


async def test_a_rolled_back_change_is_never_broadcast_nor_numbered(family, parent):
    watcher = await open_rota(family, parent)
    await watcher.receive_json_from(timeout=5)

    def change_and_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            add_shift(family, parent)
            raise RuntimeError("something later in the request failed")

    await sync_to_async(change_and_fail)()
    assert await watcher.receive_nothing(timeout=0.3)
    await sync_to_async(add_shift)(family, parent, hour=12)
    assert (await watcher.receive_json_from(timeout=5))["seq"] == 1  # no hole in the numbering
    await watcher.disconnect()


async def test_every_page_on_the_rota_gets_every_change_in_order(family, parent, carer):
    pages = [await open_rota(family, parent), await open_rota(family, carer)]
    for page in pages:
        await page.receive_json_from(timeout=5)
    for hour in (8, 11, 14):
        await sync_to_async(add_shift)(family, parent, hour=hour)
    for page in pages:
        assert [(await page.receive_json_from(timeout=5))["seq"] for _ in range(3)] == [1, 2, 3]
        await page.disconnect()


async def test_a_reconnecting_page_gets_what_it_missed(family, parent, carer):
    page = await open_rota(family, parent)
    await page.receive_json_from(timeout=5)
    await sync_to_async(add_shift)(family, carer, hour=8)
    assert (await page.receive_json_from(timeout=5))["seq"] == 1
    await page.disconnect()  # the phone loses signal...

    await sync_to_async(add_shift)(family, carer, hour=11)
    shift = await sync_to_async(add_shift)(family, carer, hour=14)
    await sync_to_async(services.cancel_shift)(shift=shift, actor=carer, reason="Not needed")

    page = await open_rota(family, parent, last_seq=1)  # ...and says the last number it saw
    replayed = [await page.receive_json_from(timeout=5) for _ in range(4)]
    assert [m.get("seq") for m in replayed] == [2, 3, 4, 4]
    assert replayed[-1]["type"] == "synced"
    assert "shift-cancelled" in replayed[2]["html"]
    await page.disconnect()


async def test_a_page_too_far_behind_gets_a_snapshot_of_its_week(family, parent, monkeypatch):
    monkeypatch.setattr(live, "MAX_REPLAY", 2)
    for hour in (6, 9, 12, 15):
        await sync_to_async(add_shift)(family, parent, hour=hour)
    page = await open_rota(family, parent, last_seq=0)
    snapshot = await page.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot" and snapshot["seq"] == 4 and snapshot["week"] == f"{YEAR}-03-01"
    assert len(snapshot["cards"]) == 4
    await page.disconnect()


async def test_a_pruned_change_log_also_means_a_snapshot(family, parent):
    for hour in (6, 9):
        await sync_to_async(add_shift)(family, parent, hour=hour)
    await sync_to_async(RotaChange.objects.filter(seq=1).delete)()
    page = await open_rota(family, parent, last_seq=0)
    assert (await page.receive_json_from(timeout=5))["type"] == "snapshot"
    await page.disconnect()


async def test_a_pa_who_leaves_the_circle_is_disconnected(family, parent, pa):
    page = await open_rota(family, pa)
    await page.receive_json_from(timeout=5)
    membership = await sync_to_async(Membership.objects.get)(recipient=family, user=pa, role=Role.PA)
    await sync_to_async(end_membership)(membership=membership, actor=parent, reason="Moved away")
    assert await closed_with(page) == 4403


async def test_a_pa_in_the_circle_watches_live_too(family, parent, pa):
    page = await open_rota(family, pa)
    await page.receive_json_from(timeout=5)
    await sync_to_async(add_shift)(family, parent, hour=9, pa=pa)
    message = await page.receive_json_from(timeout=5)
    assert f'data-pa="{pa.pk}"' in message["html"]
    await page.disconnect()


def test_record_change_refuses_to_run_outside_a_transaction(family, parent):
    shift = add_shift(family, parent)
    with pytest.raises(RuntimeError):
        live.record_change(shift)


def test_snapshot_lists_the_week_of_the_page(family, parent):
    add_shift(family, parent, hour=9)
    services.create_shift(recipient=family, start=at(f"{YEAR}-03-08", 9), end=at(f"{YEAR}-03-08", 10), kind="day",
                          actor=parent)
    [message] = live.catch_up(family.pk, None, f"{YEAR}-03-09")
    assert message["week"] == f"{YEAR}-03-08" and len(message["cards"]) == 1
    assert datetime.date.fromisoformat(message["cards"][0]["day"]) == datetime.date(YEAR, 3, 8)

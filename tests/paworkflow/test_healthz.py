from unittest import mock

from django.db.utils import OperationalError


def test_healthz_reports_every_part_when_all_is_well(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["channel_layer"]["ok"] and body["broker"]["ok"]


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "engine": mock.ANY, "error": "OperationalError"}
    assert response.json()["status"] == "down"


def test_healthz_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405

from django.apps import apps
from django.core.management import call_command


def snapshot():
    """Every row of every project model, so two runs can be compared exactly."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"care", "notifications", "competencies", "workflows", "rota", "respite", "auth", "guardian", "viewflow"}:
            values = list(model.objects.order_by("pk").values())
            for row in values:
                row.pop("last_login", None)
            rows[model._meta.label] = values
    return rows


def test_seed_demo_twice_gives_the_same_database(db, capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    out = capsys.readouterr().out
    assert "demo-pass-2026" in out and "other-parent" in out


def test_demo_logins_work_with_the_documented_password(client, db):
    call_command("seed_demo")
    for username in ["parent", "grandparent", "pa1", "pa2", "pa3", "nurse", "ward", "coordinator",
                     "other-parent", "other-pa", "other-nurse"]:
        assert client.login(username=username, password="demo-pass-2026"), username
        assert client.get("/").status_code == 200
        client.logout()

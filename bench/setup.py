"""How every benchmark starts Django: the product's own settings module, driven by environment
variables as in production, a throwaway SQLite file unless BENCH_DATABASE_URL names a scratch
PostgreSQL database, no Redis unless the benchmark sets it, then the migrations."""
import os
import uuid


def configure_django(workdir, name="bench", **env):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="paworkflow.settings",
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/{name}.sqlite3"),
        SECRET_KEY="bench-only-" + uuid.uuid4().hex,
        LOG_LEVEL="ERROR",
    )
    os.environ.pop("REDIS_URL", None)
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    migrate()


def migrate():
    import django  # noqa: PLC0415 - the environment above must be set before Django loads

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0)

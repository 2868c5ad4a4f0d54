"""The healthcare task catalogue as shipped. Migration 0002 installs it; `install()` puts it back
when it is missing — for seed_demo and for test databases that a transactional test has
flushed (Django empties every table after one, data migrations included)."""
from importlib import import_module

from django.apps import apps

SHIPPED = import_module("competencies.migrations.0002_task_catalogue")


def install():
    HealthcareTask = apps.get_model("competencies", "HealthcareTask")
    codes = [row[0] for row in SHIPPED.CATALOGUE]
    if HealthcareTask.objects.filter(code__in=codes).count() == len(codes):
        return False
    SHIPPED.load(apps, schema_editor=None)
    return True

"""Load the demo families and every app's demo data. Running it twice changes nothing."""
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from care.demo import DEMO_PASSWORD, logins

PROJECT_APPS = {"care", "notifications", "competencies", "employment", "workflows", "rota", "respite"}


class Command(BaseCommand):
    help = "Create (or leave as they are) the invented demo families and each app's demo data."

    def handle(self, *args, **options):
        cast = {}
        with transaction.atomic():
            # Each app may ship <app>/demo.py with seed(cast); care runs first, the others
            # in INSTALLED_APPS order, so later apps build on earlier apps' people.
            for config in apps.get_app_configs():
                if config.name not in PROJECT_APPS:
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(cast)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo password is %s" % DEMO_PASSWORD))
        for username, roles, family in logins(cast):
            self.stdout.write(f"  {username:<14} {roles:<40} {family}")

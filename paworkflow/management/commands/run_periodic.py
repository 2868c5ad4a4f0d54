from django.core.management.base import BaseCommand

from paworkflow.periodic import run_all


class Command(BaseCommand):
    help = "Run every periodic job once (what beat or the embedded scheduler does on a timer)."

    def handle(self, *args, **options):
        for job, result in run_all().items():
            self.stdout.write(f"{job}: {result}")

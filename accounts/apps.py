from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Signing in"

    def ready(self):
        from . import sessions, tasks  # noqa: F401  sign-in times in the session; the recovery task

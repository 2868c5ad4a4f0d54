from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Signing in"

    def ready(self):
        from . import sessions  # noqa: F401  notes the time of each sign-in in its session

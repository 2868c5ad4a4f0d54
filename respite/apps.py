from django.apps import AppConfig


class RespiteConfig(AppConfig):
    name = "respite"

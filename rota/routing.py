"""WebSocket routes: the live rota for one person."""
from django.urls import path

from .consumers import RotaConsumer

websocket_urlpatterns = [
    path("ws/rota/<int:recipient_pk>/", RotaConsumer.as_asgi()),
]

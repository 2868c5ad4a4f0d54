"""WebSocket routes."""
from rota.routing import websocket_urlpatterns as rota_websockets

websocket_urlpatterns = [*rota_websockets]

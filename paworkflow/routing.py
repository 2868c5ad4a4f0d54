"""WebSocket routes; each app adds its own here."""
websocket_urlpatterns = []

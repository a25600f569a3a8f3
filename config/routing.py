"""Websocket routes of every app (each app adds its own `routing.py` here)."""

websocket_urlpatterns: list = []

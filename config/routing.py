"""Websocket routes of every app (each app adds its own `routing.py` here)."""

from communities.routing import websocket_urlpatterns as community_routes
from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns: list = [*notification_routes, *community_routes]

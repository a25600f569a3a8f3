"""The project's websocket routes plus the chat benchmark's ceiling (bench server only)."""

from django.urls import path

from bench.consumers import CeilingConsumer
from config.routing import websocket_urlpatterns as project_routes

websocket_urlpatterns = [
    *project_routes,
    path("ws/bench/ceiling/", CeilingConsumer.as_asgi()),
]

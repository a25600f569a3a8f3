"""ASGI entry point: HTTP through Django, websockets through Channels.

Each app that has live features contributes `websocket_urlpatterns` in its
`routing.py`; they are collected here.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.channel_layers import serving_relay  # noqa: E402
from config.heap import heap_settle  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402

# The process serving this application holds the sockets: on the embedded channel layer
# it also receives the group sends of the worker and of management commands.
application = serving_relay(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
heap_settle()

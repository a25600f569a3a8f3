"""The bench server's ASGI application: config.asgi's stack, with bench/routing.py's routes.

python -m config.serve bench.asgi:application      (DJANGO_SETTINGS_MODULE=bench.settings)
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from bench.routing import websocket_urlpatterns  # noqa: E402
from config.channel_layers import serving_relay  # noqa: E402
from config.heap import heap_settle  # noqa: E402

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

import os

import pytest
import redis

from tests.conftest import CI


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if CI:
            pytest.fail(f"CI=true but Redis at {url} is unreachable: {exc}")
        pytest.skip(f"integration test skipped: no Redis at {url} ({exc})")
    return url


@pytest.fixture
def layer_of(settings):
    """Joins this process to a test server's channel layer, as a shell on that machine
    would be: the embedded layer relays through the socket in the server's var/ (this
    process's own var/ is not the server's); Redis needs nothing."""
    from pathlib import Path

    from channels.layers import channel_layers

    def join(servers) -> None:
        layer = settings.CHANNEL_LAYERS["default"]
        if "relay_socket" in layer.get("CONFIG", {}):
            socket_path = Path(servers.env["BARAZA_VAR_DIR"]) / "channels.sock"
            config = {**layer["CONFIG"], "relay_socket": str(socket_path)}
            settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": config}}
        channel_layers.backends.clear()

    yield join
    channel_layers.backends.clear()

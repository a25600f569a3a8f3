import pytest
from channels.layers import InMemoryChannelLayer, channel_layers

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_checks_every_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "broker": "ok", "cache": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_what_failed(client, monkeypatch):
    def broken_cache():
        raise ConnectionError("cache unreachable")

    monkeypatch.setitem(health.CHECKS, "cache", broken_cache)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"].startswith("error: ConnectionError")
    assert body["checks"]["database"] == "ok"


class DroppingLayer(InMemoryChannelLayer):
    """Accepts sends and delivers nothing, like a layer whose backend lost its messages."""

    async def send(self, channel, message):
        return None


def test_healthz_channel_layer_check_is_a_real_round_trip(client, settings, monkeypatch):
    monkeypatch.setattr(health, "CHECK_TIMEOUT", 0.5)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.DroppingLayer"}}
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["failed"] == ["channel_layer"]
    assert response.json()["checks"]["channel_layer"] == "error: timed out"

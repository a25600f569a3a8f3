"""Rate limits: a fixed window per key, counted in the cache."""

import os
import uuid

import pytest
import redis
from redis.connection import AbstractConnection

from core.ratelimit import allow
from tests.conftest import CI


def test_a_window_allows_its_count_then_refuses(settings):
    assert [allow("test", "ama", "3/60") for _ in range(5)] == [True] * 3 + [False] * 2
    assert allow("test", "kofi", "3/60")  # another key, another count
    assert all(allow("test", "ama", "off") for _ in range(10))


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if CI:
            pytest.fail(f"CI=true but Redis at {url} is unreachable: {exc}")
        pytest.skip(f"needs Redis at {url} ({exc})")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    from django.core.cache import caches

    return caches["default"]


def test_on_redis_each_hit_is_one_round_trip_and_the_window_expires(redis_cache, monkeypatch):
    allow("test", "warm-up", "3/60")  # the connection's handshake is not a hit
    round_trips = []
    send = AbstractConnection.send_packed_command

    def counted(connection, command, *args, **kwargs):
        round_trips.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    assert [allow("test", "ama", "3/60") for _ in range(5)] == [True] * 3 + [False] * 2
    assert len(round_trips) == 5
    assert redis_cache.get("rl:test:ama") == 5  # the cache API reads the count
    key = redis_cache.make_and_validate_key("rl:test:ama")
    assert 0 < redis_cache._cache.get_client(key).ttl(key) <= 60

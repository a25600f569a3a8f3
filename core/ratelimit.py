"""Fixed-window rate limits in the Django cache (Redis at scale, local memory embedded)."""

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def parse_rate(rate: str) -> tuple[int, int] | None:
    """'30/600' → (30 hits, per 600 s); 'off' → None."""
    if not rate or rate.strip().lower() == "off":
        return None
    count, _sep, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def allow(scope: str, key: str, rate: str) -> bool:
    """Count one hit for `key`; False once the rate is exceeded in the current window."""
    parsed = parse_rate(rate)
    if parsed is None:
        return True
    limit, period = parsed
    cache_key = f"rl:{scope}:{key}"
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_hit(backend, cache_key, period) <= limit
    if cache.add(cache_key, 1, timeout=period):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        return True


def _redis_hit(backend: RedisCache, cache_key: str, period: int) -> int:
    """Hits in the window so far, this one included, in one round trip to Redis (the
    cache API needs three: add, then exists and incr). Chat counts every message: at
    twenty a second, round trips are what it waits on. The value is an integer as the
    cache API stores it, so `cache.get` reads it too."""
    key = backend.make_and_validate_key(cache_key)
    client = backend._cache.get_client(key, write=True)
    pipeline = client.pipeline(transaction=False)
    pipeline.set(key, 0, ex=period, nx=True)  # the window opens at the first hit
    pipeline.incr(key)
    return pipeline.execute()[1]


def client_ip(request) -> str:
    """The address a rate limit counts. Behind our proxy, the last X-Forwarded-For entry:
    the one the proxy appended. Earlier entries come from the client, who can write
    anything there (a different made-up address on every request)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")

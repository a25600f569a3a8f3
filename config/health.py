"""`/healthz`: every service Baraza depends on, checked for real."""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

CHECK_TIMEOUT = 3.0


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("value written was not read back")
    cache.delete(key)


def _check_broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)


async def _check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await layer.receive(channel)
    if message.get("token") != token:
        raise RuntimeError("round trip returned another message")
    relay_check = getattr(layer, "relay_check", None)
    if relay_check is not None:  # the embedded layer: other processes' sends arrive too
        await relay_check()


async def _run(check) -> str:
    try:
        if asyncio.iscoroutinefunction(check):
            await asyncio.wait_for(check(), CHECK_TIMEOUT)
        else:
            await asyncio.wait_for(sync_to_async(check)(), CHECK_TIMEOUT)
    except TimeoutError:
        return "error: timed out"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {exc.__class__.__name__}: {exc}"[:300]
    return "ok"


CHECKS = {
    "database": _check_database,
    "channel_layer": _check_channel_layer,
    "broker": _check_broker,
    "cache": _check_cache,
}


@never_cache
async def healthz(request):
    results = await asyncio.gather(*(_run(check) for check in CHECKS.values()))
    checks = dict(zip(CHECKS, results, strict=True))
    failed = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "ok" if not failed else "error", "checks": checks}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=200 if not failed else 503)

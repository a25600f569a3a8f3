"""Chat fan-out: 200 websocket clients in one room, one sender at 20 messages/s for 15 s.

    python -m bench.chat_fanout [--clients N] [--rate R] [--seconds S] [--layers L,...]

For each channel layer — `memory` (InMemoryChannelLayer, one process), `pubsub` and `core`
(channels-redis's two Redis layers; skipped when Redis is not reachable) — a Daphne
serving bench.asgi runs a community room and, in the same server, the ceiling: a
consumer that only broadcasts (bench/consumers.py: no persistence, no checks). The same
clients and sender run against both. Printed per layer: messages delivered per second
(deliveries to all clients), p50 and p99 latency from send to receipt, and the ratio
of the room's deliveries/s to the ceiling's. The last line is the worst ratio among the
layers measured (aim: ≥ 0.6, with p99 under 100 ms).

Each Daphne's log goes to the run's temporary directory, or to BENCH_LOG_DIR when set.
The sender is a member like the others; the server's CHAT_RATE_LIMIT is raised so that
one person may send 20 messages a second (the limit is still counted in the cache).
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.chat_fanout")

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import redis
import websockets

from bench.harness import bench_site, rate_ratio, summary_line
from bench.load import _process_cpu_seconds
from tests.servers import ROOT, free_port

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
LAYERS = {
    "memory": {"REDIS_URL": ""},
    "pubsub": {"REDIS_URL": REDIS_URL, "REDIS_CHANNEL_LAYER": "pubsub"},
    "core": {"REDIS_URL": REDIS_URL, "REDIS_CHANNEL_LAYER": "core"},
}
CONNECT_BATCH = 25
DRAIN_SECONDS = 3.0
WARMUP_MESSAGES = 5


@dataclass
class Run:
    name: str
    clients: int
    sent: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_cpu: float = 0.0  # share of one core, while sending
    client_cpu: float = 0.0

    @property
    def delivered(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]

    def describe(self) -> str:
        expected = self.sent * self.clients
        lost = expected - self.delivered
        return (
            f"{self.name:<8} {self.per_second:7.0f} msg/s delivered"
            f"  p50 {self.quantile(50) * 1000:6.1f} ms  p99 {self.quantile(99) * 1000:6.1f} ms"
            f"  ({self.sent} sent to {self.clients} clients, {lost} not delivered,"
            f" server cpu {self.server_cpu:.0%}, client cpu {self.client_cpu:.0%}"
            f"{', ' + '; '.join(self.errors[:3]) if self.errors else ''})"
        )


def create_room(tag: str, clients: int) -> tuple[str, list[str]]:
    """A public community with `clients` + 1 members, each with a session; the slug and
    the session keys (the sender's last)."""
    from django.contrib.auth.hashers import make_password

    from communities.models import Membership
    from communities.services.spaces import community_create
    from members.models import Member, Organization, Role
    from tests.servers import session_key_for

    organization = Organization.objects.create(slug=f"bench-{tag}", name="Bench network")
    password = make_password(secrets.token_urlsafe(12))
    owner = Member.objects.create(
        email=f"bench-{tag}-owner@bench.example", password=password, role=Role.STAFF
    )
    community = community_create(
        creator=owner, organization=organization, slug=f"bench-{tag}", name="Bench room"
    )
    Member.objects.bulk_create(
        Member(
            email=f"bench-{tag}-{index:04d}@bench.example",
            full_name=f"Bench Member {index:04d}",
            password=password,
        )
        for index in range(clients + 1)
    )
    people = list(
        Member.objects.filter(
            email__startswith=f"bench-{tag}-", full_name__startswith="Bench Member"
        ).order_by("email")
    )
    Membership.objects.bulk_create(
        Membership(community=community, member=person, handle=f"m{person.pk}") for person in people
    )
    return community.slug, [session_key_for(person) for person in people]


def redis_reachable() -> bool:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


class Server:
    """A Daphne on bench.asgi with one channel layer, sharing the bench database."""

    def __init__(self, base_env: dict, workdir, layer: str, tag: str):
        self.port = free_port()
        self.env = {
            **base_env,
            **LAYERS[layer],
            "CHANNEL_PREFIX": f"bench{tag}{layer}",
            "CACHE_PREFIX": f"bench{tag}{layer}",
            "CHAT_RATE_LIMIT": "100000/10",
        }
        log_dir = Path(os.environ.get("BENCH_LOG_DIR", workdir))
        self.log = open(log_dir / f"chat-{layer}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                *("-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)),
                "bench.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode}")
            try:
                httpx.get(self.url + "/healthz", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError("daphne did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


async def _connect(url: str, origin: str, cookie: str | None):
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    socket = await websockets.connect(url, additional_headers=headers, max_queue=None)
    async with asyncio.timeout(30):
        while json.loads(await socket.recv())["type"] != "history":
            pass
    return socket


async def fan_out(name, server, path, cookies: list[str | None], rate, seconds) -> Run:
    """Receivers connect (one cookie each), the sender (the last cookie) sends at `rate`
    messages a second for `seconds`; every receiver times every message."""
    count = len(cookies) - 1
    url = server.url.replace("http://", "ws://") + path
    run = Run(name=name, clients=count)
    receivers = []
    for start in range(0, count, CONNECT_BATCH):
        batch = cookies[start : min(start + CONNECT_BATCH, count)]
        receivers += await asyncio.gather(*(_connect(url, server.url, c) for c in batch))
    sender = await _connect(url, server.url, cookies[-1])
    await asyncio.sleep(1.5)  # presence frames of the joins settle
    sent_at: dict[str, float] = {}

    async def listen(socket):
        try:
            async for raw in socket:
                frame = json.loads(raw)
                if frame["type"] == "message.new":
                    began = sent_at.get(frame["message"]["client_id"])
                    if began is not None:
                        run.latencies.append(time.perf_counter() - began)
                elif frame["type"] == "error":
                    run.errors.append(frame["code"])
        except websockets.ConnectionClosed:
            pass

    async def drain_sender():
        async for raw in sender:
            frame = json.loads(raw)
            if frame["type"] == "error":
                run.errors.append(frame["code"])

    listeners = [asyncio.ensure_future(listen(s)) for s in receivers]
    sender_reader = asyncio.ensure_future(drain_sender())
    for _warm in range(WARMUP_MESSAGES):  # a cold first message is not the steady state
        await sender.send(json.dumps({"type": "message.send", "body": "warm", "client_id": ""}))
        await asyncio.sleep(1 / rate)
    await asyncio.sleep(1.0)
    total = int(rate * seconds)
    server_before, client_before = _process_cpu_seconds(server.process.pid), time.process_time()
    began = time.perf_counter()
    for index in range(total):
        due = began + index / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        client_id = f"{name}-{index}"
        sent_at[client_id] = time.perf_counter()
        body = f"Message {index}: how fast do top-ups arrive in your programme?"
        await sender.send(
            json.dumps({"type": "message.send", "body": body, "client_id": client_id})
        )
        run.sent += 1
    run.seconds = time.perf_counter() - began
    run.server_cpu = (_process_cpu_seconds(server.process.pid) - server_before) / run.seconds
    run.client_cpu = (time.process_time() - client_before) / run.seconds
    expected = run.sent * count
    deadline = time.perf_counter() + DRAIN_SECONDS
    while len(run.latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    for socket in (*receivers, sender):
        await socket.close()
    for task in (*listeners, sender_reader):
        task.cancel()
    return run


def measure_layer(layer, site, tag, slug, keys, rate, seconds) -> tuple[Run, Run]:
    from django.conf import settings

    cookies = [f"{settings.SESSION_COOKIE_NAME}={key}" for key in keys]
    server = Server(site.processes.env, site.processes.workdir, layer, tag)
    try:
        server.wait()
        room = asyncio.run(
            fan_out(layer, server, f"/ws/communities/{slug}/chat/", cookies, rate, seconds)
        )
        ceiling = asyncio.run(
            fan_out("ceiling", server, "/ws/bench/ceiling/", [None] * len(keys), rate, seconds)
        )
    finally:
        server.stop()
    return room, ceiling


def run(*, clients: int, rate: float, seconds: float, layers: list[str]) -> str:
    if any(layer != "memory" for layer in layers) and not redis_reachable():
        print(f"Redis at {REDIS_URL} unreachable: measuring the in-memory layer only", flush=True)
        layers = [layer for layer in layers if layer == "memory"]
    print(
        f"{clients} clients in one room, 1 sender at {rate:g} msg/s for {seconds:g} s;"
        f" layers: {', '.join(layers)}",
        flush=True,
    )
    tag = secrets.token_hex(3)
    ratios = []
    with bench_site("chat_fanout") as site:
        slug, keys = create_room(tag, clients)
        for layer in layers:
            room, ceiling = measure_layer(layer, site, tag, slug, keys, rate, seconds)
            ratio = room.per_second / ceiling.per_second if ceiling.per_second else 0.0
            ratios.append((ratio, room, ceiling))
            print(f"  {room.describe()}", flush=True)
            print(f"  {ceiling.describe()}", flush=True)
            print(f"  {layer}: ratio {ratio:.2f} vs ceiling", flush=True)
    _ratio, room, ceiling = min(ratios, key=lambda entry: entry[0])
    print(f"worst layer: {room.name}", flush=True)
    ratio = rate_ratio(room.per_second, ceiling.per_second)
    return summary_line("chat_fanout", room.per_second, "msg/s", ratio)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat_fanout", description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--layers", default="memory,pubsub,core")
    args = parser.parse_args(argv)
    layers = [layer.strip() for layer in args.layers.split(",") if layer.strip()]
    unknown = set(layers) - set(LAYERS)
    if unknown:
        parser.error(f"unknown layers: {', '.join(sorted(unknown))}")
    line = run(clients=args.clients, rate=args.rate, seconds=args.seconds, layers=layers)
    print(line, flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("chat_fanout: interrupted") from None

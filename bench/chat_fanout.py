"""Chat fan-out: 200 websocket clients in one room, one sender at 20 messages/s for 15 s.

    python -m bench.chat_fanout [--clients N] [--rate R] [--seconds S] [--rounds K]
                                [--layers memory,pubsub,core]

For each channel layer — `memory` (the embedded in-process layer), `pubsub` and `core`
(channels-redis's two Redis layers, at REDIS_URL or redis://127.0.0.1:6379/0; skipped
when Redis is not reachable) — a Daphne serving bench.asgi runs a community room and, in
the same server, the ceiling: a consumer that only broadcasts (bench/consumers.py: no
persistence, no checks). The same number of clients joins each, and one sender in each
sends the same messages at the same rate. The `--seconds` of sending are split into
`--rounds` bursts that alternate between the ceiling and the room (ceiling first, then
room first...), each burst drained before the next, so that what else the machine runs
meanwhile weighs on both alike.

Printed per layer and target: messages delivered per second (deliveries to all
clients), p50 and p99 latency from send to receipt, frames not delivered, and the
server's CPU time per message sent (less sensitive to neighbours than the rest). A
layer's ratio is the worse of two fractions of the ceiling's performance: deliveries/s
(room ÷ ceiling) and p99 latency (ceiling ÷ room). The last line is the worst layer's
(aim: ≥ 0.67 — p99 within 1.5× the ceiling's — with nothing lost).

Each server's log goes to the run's temporary directory, or to BENCH_LOG_DIR/chat-LAYER/
when set. With BENCH_PYSPY=1 (and py-spy installed: `pip install py-spy`), each burst is
also profiled into that directory (`pyspy-LAYER-TARGET-ROUND.txt`, py-spy's raw
collapsed stacks of the thread holding the GIL). The sender is a member like the others;
the server's CHAT_RATE_LIMIT is raised so that one person may send 20 messages a second
(the limit is still counted in the cache).
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.chat_fanout")

import argparse
import asyncio
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis
import websockets

from bench.harness import APPLICATION, bench_site, rate_ratio, summary_line, time_ratio
from bench.load import process_cpu_seconds
from tests.servers import BarazaProcesses

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
LAYERS = {
    "memory": {"REDIS_URL": ""},
    "pubsub": {"REDIS_URL": REDIS_URL, "REDIS_CHANNEL_LAYER": "pubsub"},
    "core": {"REDIS_URL": REDIS_URL, "REDIS_CHANNEL_LAYER": "core"},
}
CONNECT_BATCH = 25
DRAIN_SECONDS = 15.0  # a burst's frames may arrive this long after its last send
WARMUP_MESSAGES = 5


@dataclass
class Run:
    """One target's figures, pooled over its bursts."""

    name: str
    clients: int
    sent: int = 0
    seconds: float = 0.0  # of sending
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_cpu: float = 0.0  # seconds, from each burst's first send until it is drained

    @property
    def delivered(self) -> int:
        return len(self.latencies)

    @property
    def lost(self) -> int:
        return self.sent * self.clients - self.delivered

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]

    def describe(self) -> str:
        cpu = self.server_cpu / self.sent * 1000 if self.sent else 0.0
        return (
            f"{self.name:<8} {self.per_second:7.0f} msg/s delivered"
            f"  p50 {self.quantile(50) * 1000:6.1f} ms  p99 {self.quantile(99) * 1000:6.1f} ms"
            f"  ({self.sent} sent to {self.clients} clients, {self.lost} not delivered,"
            f" server cpu {cpu:.1f} ms/message"
            f"{', ' + '; '.join(sorted(set(self.errors))[:3]) if self.errors else ''})"
        )


@dataclass
class Verdict:
    """A layer's room against its ceiling: the worse of deliveries/s and p99 latency, each
    as a fraction of the ceiling's performance."""

    room: Run
    ceiling: Run

    @property
    def throughput(self) -> float:
        return rate_ratio(self.room.per_second, self.ceiling.per_second)

    @property
    def latency(self) -> float:
        return time_ratio(self.room.quantile(99), self.ceiling.quantile(99))

    @property
    def ratio(self) -> float:
        return min(self.throughput, self.latency)

    def describe(self) -> str:
        return (
            f"{self.room.name}: ratio {self.ratio:.2f} vs ceiling (deliveries/s"
            f" {self.throughput:.2f}, p99 latency {self.latency:.2f})"
        )

    def summary(self) -> str:
        """The last line: the figure that sets the ratio."""
        if self.throughput <= self.latency:
            value, unit = self.room.per_second, f"msg/s delivered on the {self.room.name} layer"
        else:
            value, unit = (
                self.room.quantile(99) * 1000,
                f"ms p99 latency on the {self.room.name} layer",
            )
        return summary_line("chat_fanout", value, unit, self.ratio)


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


class Audience:
    """Sockets connected to one room path: `len(cookies) - 1` receivers that time every
    message, and a sender (the last cookie)."""

    def __init__(self, run: Run, server: BarazaProcesses, path: str, cookies: list):
        self.run, self.server, self.path, self.cookies = run, server, path, cookies
        self.sent_at: dict[str, float] = {}
        self.tasks: list[asyncio.Future] = []
        self.sockets: list = []

    async def _connect(self, cookie: str | None):
        headers = {"Origin": self.server.url}
        if cookie:
            headers["Cookie"] = cookie
        url = self.server.url.replace("http://", "ws://") + self.path
        socket = await websockets.connect(url, additional_headers=headers, max_queue=None)
        async with asyncio.timeout(30):
            while json.loads(await socket.recv())["type"] != "history":
                pass
        return socket

    async def open(self) -> None:
        receivers = self.cookies[:-1]
        for start in range(0, len(receivers), CONNECT_BATCH):
            batch = receivers[start : start + CONNECT_BATCH]
            self.sockets += await asyncio.gather(*(self._connect(c) for c in batch))
        self.sender = await self._connect(self.cookies[-1])
        self.tasks = [asyncio.ensure_future(self._listen(s)) for s in self.sockets]
        self.tasks.append(asyncio.ensure_future(self._drain_sender()))

    async def _listen(self, socket) -> None:
        try:
            async for raw in socket:
                frame = json.loads(raw)
                if frame["type"] == "message.new":
                    began = self.sent_at.get(frame["message"]["client_id"])
                    if began is not None:
                        self.run.latencies.append(time.perf_counter() - began)
                elif frame["type"] == "error":
                    self.run.errors.append(frame["code"])
        except websockets.ConnectionClosed:
            pass

    async def _drain_sender(self) -> None:
        try:
            async for raw in self.sender:
                frame = json.loads(raw)
                if frame["type"] == "error":
                    self.run.errors.append(frame["code"])
        except websockets.ConnectionClosed:
            pass

    async def send(self, body: str, client_id: str = "") -> None:
        if client_id:
            self.sent_at[client_id] = time.perf_counter()
        await self.sender.send(
            json.dumps({"type": "message.send", "body": body, "client_id": client_id})
        )

    async def warm_up(self, rate: float) -> None:
        """A cold first message is not the steady state."""
        for _warm in range(WARMUP_MESSAGES):
            await self.send("warm")
            await asyncio.sleep(1 / rate)

    async def burst(self, count: int, rate: float, profile: Path | None) -> None:
        """`count` messages at `rate`, then wait until every receiver has them (or
        DRAIN_SECONDS pass); the server's CPU is counted until then."""
        run, pid = self.run, self.server.procs["web"].pid
        profiler = _profiler(pid, count / rate, profile) if profile else None
        cpu_before = process_cpu_seconds(pid)
        began = time.perf_counter()
        first = run.sent
        for index in range(count):
            due = began + index / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            body = f"Message {first + index}: how fast do top-ups arrive in your programme?"
            await self.send(body, f"{run.name}-{first + index}")
            run.sent += 1
        run.seconds += time.perf_counter() - began
        expected = run.sent * run.clients
        deadline = time.perf_counter() + DRAIN_SECONDS
        while run.delivered < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        run.server_cpu += process_cpu_seconds(pid) - cpu_before
        if profiler is not None:
            await asyncio.to_thread(profiler.wait)

    async def close(self) -> None:
        for socket in (*self.sockets, self.sender):
            await socket.close()
        for task in self.tasks:
            task.cancel()


def _profiler(pid: int, seconds: float, output: Path) -> subprocess.Popen:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    command = [py_spy, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds)))]
    command += ["--gil", "--rate", "200", "--format", "raw", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def measure_layer(layer, server, slug, cookies, *, rate, seconds, rounds) -> Verdict:
    count = len(cookies) - 1
    room = Run(name=layer, clients=count)
    ceiling = Run(name="ceiling", clients=count)
    audiences = {
        "room": Audience(room, server, f"/ws/communities/{slug}/chat/", cookies),
        "ceiling": Audience(ceiling, server, "/ws/bench/ceiling/", [None] * len(cookies)),
    }
    profile_dir = server.workdir if os.environ.get("BENCH_PYSPY") else None
    for audience in audiences.values():
        await audience.open()
    await asyncio.sleep(1.5)  # the presence frames of the joins settle
    for audience in audiences.values():
        await audience.warm_up(rate)
    await asyncio.sleep(1.0)
    per_burst = max(1, round(rate * seconds / rounds))
    for number in range(rounds):
        order = ("ceiling", "room") if number % 2 == 0 else ("room", "ceiling")
        for target in order:
            profile = profile_dir / f"pyspy-{layer}-{target}-{number}.txt" if profile_dir else None
            await audiences[target].burst(per_burst, rate, profile)
    for audience in audiences.values():
        await audience.close()
    return Verdict(room=room, ceiling=ceiling)


def run(*, clients: int, rate: float, seconds: float, rounds: int, layers: list[str]) -> str:
    from django.conf import settings

    if any(layer != "memory" for layer in layers) and not redis_reachable():
        print(f"Redis at {REDIS_URL} unreachable: measuring the in-memory layer only", flush=True)
        layers = [layer for layer in layers if layer == "memory"]
    print(
        f"{clients} clients in one room, 1 sender at {rate:g} msg/s for {seconds:g} s in"
        f" {rounds} bursts, alternating with the ceiling; layers: {', '.join(layers)}",
        flush=True,
    )
    tag = secrets.token_hex(3)
    verdicts = []
    with bench_site("chat_fanout", web=False) as site:
        slug, keys = create_room(tag, clients)
        cookies = [f"{settings.SESSION_COOKIE_NAME}={key}" for key in keys]
        for layer in layers:
            server = site.server(
                f"chat-{layer}",
                **LAYERS[layer],
                CHANNEL_PREFIX=f"bench{tag}{layer}",
                CACHE_PREFIX=f"bench{tag}{layer}",
                CHAT_RATE_LIMIT="100000/10",
            )
            try:
                server.start_web(application=APPLICATION)
                verdict = asyncio.run(
                    measure_layer(
                        layer, server, slug, cookies, rate=rate, seconds=seconds, rounds=rounds
                    )
                )
            finally:
                server.stop()
            verdicts.append(verdict)
            print(f"  {verdict.room.describe()}", flush=True)
            print(f"  {verdict.ceiling.describe()}", flush=True)
            print(f"  {verdict.describe()}", flush=True)
    worst = min(verdicts, key=lambda verdict: verdict.ratio)
    print(f"worst layer: {worst.room.name}", flush=True)
    return worst.summary()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat_fanout", description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="of sending, per target")
    parser.add_argument("--rounds", type=int, default=3, help="bursts per target")
    parser.add_argument("--layers", default="memory,pubsub,core")
    args = parser.parse_args(argv)
    layers = [layer.strip() for layer in args.layers.split(",") if layer.strip()]
    unknown = set(layers) - set(LAYERS)
    if unknown:
        parser.error(f"unknown layers: {', '.join(sorted(unknown))}")
    line = run(
        clients=args.clients,
        rate=args.rate,
        seconds=args.seconds,
        rounds=args.rounds,
        layers=layers,
    )
    print(line, flush=True)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("chat_fanout: interrupted") from None

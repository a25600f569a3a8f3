"""What recording costs as the usage table grows: counted in this process, line by line.

    python -m bench.monitoring_trace [--requests N] [--block B] [--concurrency C]
                                     [--flush-seconds S] [--off]

The home page through the project's ASGI application, called in this process as Daphne
calls it (`--concurrency` requests at a time), on a SQLite file in WAL mode as the
server runs it, recording on (`--off`: off), with the real background writer. Every
`--block` requests one line:

- page ms: process CPU per request, the writer's excluded;
- rec µs: CPU per request of recording's part of the middleware;
- flush µs/row, steps/row: the writer's CPU and SQLite virtual-machine steps per row
  written (steps are a deterministic count: they grow only if the work does);
- page q, page steps: the page's own statements and their steps, per request;
- sql texts: distinct statement texts the writer has run so far (SQLite keeps up to
  128 compiled per connection, each connection of the pool its own);
- buffer, gc objs, rss MiB, wal KiB, table rows: what could pile up.

A cost that grows with the table or the run shows as a column climbing down the lines;
timing columns move with the machine's other load, the counts do not. At the end,
every statement the writer ran with its query plan.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.monitoring_trace")

import argparse
import asyncio
import gc
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import bench_database
from bench.monitoring import BROWSER
from bench.pages import create_members

STEP = 100  # SQLite calls the progress handler every STEP virtual-machine instructions
COLUMNS = (
    "requests  page ms  rec µs  flushes   rows  flush µs/row  steps/row"
    "  sql texts  page q  page steps  buffer  gc objs  rss MiB   wal KiB  table rows"
)


@dataclass
class Counters:
    """What the wrapped parts add up between two lines (taken, and zeroed, per line)."""

    recording_cpu: float = 0.0
    flush_cpu: float = 0.0
    flushes: int = 0
    rows: int = 0
    flush_steps: int = 0
    page_queries: int = 0
    page_steps: int = 0
    statements: dict[str, str] = field(default_factory=dict)  # the writer's, unique
    texts: set[int] = field(default_factory=set)  # hashes of every distinct text it ran

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    def add(self, **amounts: float) -> None:
        with self.lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)

    def take(self) -> dict[str, float]:
        names = ("recording_cpu", "flush_cpu", "flushes", "rows", "flush_steps")
        names += ("page_queries", "page_steps")
        with self.lock:
            values = {name: getattr(self, name) for name in names}
            for name in names:
                setattr(self, name, type(values[name])())
        return values


_in_flush = threading.local()


def instrument(counters: Counters) -> None:
    """Wrap recording's parts and every cursor with counters; the code measured is
    called as it is."""
    from django.db.backends import utils

    from monitoring import middleware, recording

    def timed(function):
        def wrapper(*args, **kwargs):
            start = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                counters.add(recording_cpu=time.thread_time() - start)

        return wrapper

    # The middleware's own view of the module, so that the writer's calls are not counted.
    seen_by_middleware = type(recording)("monitoring.recording")
    seen_by_middleware.__dict__.update(recording.__dict__)
    for name in ("path_pattern", "event_from_request", "buffer_add"):
        setattr(seen_by_middleware, name, timed(getattr(recording, name)))
    middleware.recording = seen_by_middleware

    original_flush = recording.flush

    def flush() -> int:
        _in_flush.active = True
        start = time.thread_time()
        try:
            written = original_flush()
        finally:
            _in_flush.active = False
        counters.add(flush_cpu=time.thread_time() - start, flushes=bool(written), rows=written)
        return written

    recording.flush = flush

    original_execute = utils.CursorWrapper._execute

    def execute(self, sql, params, *ignored_wrappers):
        raw = self.db.connection
        steps = [0]

        def step() -> int:
            steps[0] += STEP
            return 0

        raw.set_progress_handler(step, STEP)
        try:
            return original_execute(self, sql, params, *ignored_wrappers)
        finally:
            raw.set_progress_handler(None, STEP)
            if getattr(_in_flush, "active", False):
                counters.add(flush_steps=steps[0])
                with counters.lock:
                    counters.statements.setdefault(_shape(sql), sql)
                    counters.texts.add(hash(sql))
            else:
                counters.add(page_queries=1, page_steps=steps[0])

    utils.CursorWrapper._execute = execute


def rss_mib() -> float:
    """This process's resident memory (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _shape(sql: str) -> str:
    """A multi-row INSERT's statement without its repeated rows."""
    return sql.split(" VALUES ")[0] if sql.startswith("INSERT") else sql


async def serve(application, *, count: int, concurrency: int, headers: list) -> None:
    """`count` GETs of the home page, `concurrency` at a time, each as Daphne passes it."""
    remaining = [count]

    async def one_client() -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            await get(application, "/", headers)

    await asyncio.gather(*(one_client() for _ in range(concurrency)))


async def get(application, path: str, headers: list) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = []

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await application(scope, receive, send)
    if status != [200]:
        raise RuntimeError(f"{path} answered {status}")


def run(*, requests: int, block: int, concurrency: int, flush_seconds: float, on: bool) -> None:
    with bench_database("monitoring-trace"):
        from django.conf import settings
        from django.core.asgi import get_asgi_application
        from django.db import connection

        from config.heap import heap_settle
        from monitoring import recording
        from monitoring.models import UsageEvent

        settings.USAGE_RECORDING = on
        settings.USAGE_FLUSH_SECONDS = flush_seconds
        create_members(secrets.token_hex(4))
        database = Path(settings.DATABASES["default"]["NAME"])
        wal = database.with_name(database.name + "-wal")
        counters = Counters()
        instrument(counters)
        application = get_asgi_application()
        heap_settle()  # as bench.asgi does at the server's start
        cookie = f"{settings.TIMEZONE_COOKIE_NAME}=Asia/Manila"
        headers = [
            (b"host", b"127.0.0.1"),
            (b"user-agent", BROWSER.encode()),
            (b"cookie", cookie.encode()),
        ]
        print(
            f"{requests} home pages, {concurrency} at a time, a line every {block};"
            f" recording {'on' if on else 'off'}, buffer {settings.USAGE_BUFFER_SIZE},"
            f" writer every {flush_seconds:g} s (0: in the request, when full)",
            flush=True,
        )
        print(COLUMNS, flush=True)
        loop = asyncio.new_event_loop()
        loop.run_until_complete(serve(application, count=50, concurrency=1, headers=headers))
        counters.take()
        done = 0
        while done < requests:
            start = time.process_time()
            loop.run_until_complete(
                serve(application, count=block, concurrency=concurrency, headers=headers)
            )
            spent = time.process_time() - start
            done += block
            values = counters.take()
            table = UsageEvent.objects.count()
            counters.take()  # that count is not the page's
            rows = values["rows"] or 1
            page_cpu = spent - values["flush_cpu"]
            print(
                f"{done:8d} {page_cpu / block * 1000:8.3f}"
                f" {values['recording_cpu'] / block * 1e6:7.1f}"
                f" {values['flushes']:8.0f} {values['rows']:6.0f}"
                f" {values['flush_cpu'] / rows * 1e6:13.1f} {values['flush_steps'] / rows:10.0f}"
                f" {len(counters.texts):10d}"
                f" {values['page_queries'] / block:7.1f} {values['page_steps'] / block:11.0f}"
                f" {recording.buffered():7d} {len(gc.get_objects()):8d} {rss_mib():8.0f}"
                f" {(os.path.getsize(wal) if wal.exists() else 0) / 1024:9.0f}"
                f" {table:11d}",
                flush=True,
            )
        loop.close()
        print("statements the writer ran, with their query plans:")
        with connection.cursor() as cursor:
            for shape, sql in counters.statements.items():
                print(f"  {shape}")
                if sql.startswith(("INSERT", "SELECT", "UPDATE", "DELETE")):
                    cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("%s", "NULL"))
                    for row in cursor.fetchall():
                        print(f"    {row[-1]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.monitoring_trace", description=__doc__)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--block", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--flush-seconds", type=float, default=2.0)
    parser.add_argument("--off", action="store_true", help="recording off (the baseline)")
    args = parser.parse_args(argv)
    run(
        requests=args.requests,
        block=args.block,
        concurrency=args.concurrency,
        flush_seconds=args.flush_seconds,
        on=not args.off,
    )


if __name__ == "__main__":
    main()

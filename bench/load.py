"""A bounded closed-loop load on this machine: `concurrency` keep-alive connections,
each sending its next request as soon as the previous one is answered. `measure` GETs
pages; `measure_posts` POSTs a form exactly `count` times, each time a distinct one.

The client is `wrk` when it is installed (apt-get install wrk), else httpx in this
process; BENCH_CLIENT=httpx|wrk forces one. On a 2-core machine the Python client
takes 30-45% of a core from the server and lowers the ceiling 20-30%, so wrk is
preferred; a ratio is only compared with ratios measured by the same client.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LUA_SCRIPT = Path(__file__).with_name("load.lua")
POST_SCRIPT = Path(__file__).with_name("post.lua")
WALK_SCRIPT = Path(__file__).with_name("flow.lua")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARMUP_SECONDS = 30
WRK_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)
WRK_THREAD_DONE = "BENCH-THREAD-DONE"
WRK_THREADS = 1  # the server has the other core


@dataclass
class LoadResult:
    name: str
    client: str
    requests: int
    errors: int  # answers other than the expected status (200, or 302 after a POST),
    # and socket errors
    elapsed: float
    p50: float  # seconds
    p99: float
    client_cpu: float  # share of one core the client used
    server_cpu: float | None  # same for the server process, when known

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def describe(self) -> str:
        server = f"{self.server_cpu:.0%}" if self.server_cpu is not None else "?"
        return (
            f"{self.name:<8} {self.rps:7.1f} req/s  p50 {self.p50 * 1000:6.1f} ms"
            f"  p99 {self.p99 * 1000:6.1f} ms  ({self.requests} requests, {self.errors} errors,"
            f" {self.client} cpu {self.client_cpu:.0%}, server cpu {server})"
        )


def client_name() -> str:
    forced = os.environ.get("BENCH_CLIENT", "")
    if forced:
        if forced not in {"wrk", "httpx"}:
            raise ValueError(f"BENCH_CLIENT must be wrk or httpx, not {forced!r}")
        return forced
    return "wrk" if shutil.which("wrk") else "httpx"


def measure(
    name: str,
    urls: str | list[str],
    *,
    concurrency: int = 8,
    requests: int = 2000,
    duration: float = 20.0,
    warmup: int = 50,
    headers: dict | None = None,
    server_pid: int | None = None,
) -> LoadResult:
    """GET `urls` in turn until `requests` are answered or `duration` seconds have passed."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    for url in urls:
        if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
            raise ValueError(f"benchmarks only target this machine, not {url}")
    headers = headers or {}
    warmup_deadline = time.monotonic() + WARMUP_SECONDS
    with httpx.Client(headers=headers, timeout=30) as client:
        for index in range(warmup):
            client.get(urls[index % len(urls)]).raise_for_status()
            if time.monotonic() > warmup_deadline:
                break

    client = client_name()
    drive = _drive_wrk if client == "wrk" else _drive_httpx
    return _timed(name, client, server_pid, drive, urls, concurrency, requests, duration, headers)


def measure_posts(
    name: str,
    url: str,
    body: str,
    *,
    count: int,
    concurrency: int = 50,
    headers: dict | None = None,
    expected_status: int = 302,
    timeout: float = 120.0,
    server_pid: int | None = None,
) -> LoadResult:
    """POST `body` to `url` exactly `count` times, `{n}` in it replaced by 0001, 0002...

    `body` is urlencoded form data, `headers` carry the cookies and content type. No
    warm-up (each POST changes the database: the caller warms up as it sees fit). It
    stops by count, not by time; `timeout` only bounds a run that goes wrong.
    """
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"benchmarks only target this machine, not {url}")
    if count < 1 or count > 9999:
        raise ValueError("count must be 1..9999: numbers are written with 4 digits")
    client = client_name()
    drive = _post_wrk if client == "wrk" else _post_httpx
    return _timed(
        name,
        client,
        server_pid,
        drive,
        url,
        body,
        count,
        concurrency,
        headers or {},
        expected_status,
        timeout,
    )


def measure_walks(
    name: str,
    url: str,
    mode: str,
    args: list[str],
    *,
    people: int,
    concurrency: int,
    server_pid: int | None = None,
    timeout: float = 600.0,
) -> LoadResult:
    """`people` people walking several requests each (bench/flow.lua's MODE and its
    arguments after C), over `concurrency` connections of wrk, one per wrk thread (a
    person's steps are a state machine in the thread's Lua). Needs wrk: the httpx
    version of a walk is the benchmark's own (bench/registration.py). The result counts
    people: `requests` is how many walked, `errors` how many failed a step; p50/p99 are
    per request."""
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"benchmarks only target this machine, not {url}")
    if people < 1 or people > 9999:
        raise ValueError("people must be 1..9999: numbers are written with 4 digits")
    base = urlsplit(url)

    def drive():
        command = _wrk_command(concurrency, timeout, {}, WALK_SCRIPT, base, threads=concurrency)
        command += ["--", mode, str(people), str(concurrency), *args]
        return _wrk_figures(_run_wrk(command, timeout + 60, threads=concurrency))

    return _timed(name, "wrk", server_pid, drive)


def _timed(name, client, server_pid, drive, *args) -> LoadResult:
    server_before = process_cpu_seconds(server_pid)
    client_before = _own_cpu_seconds()
    sent, errors, elapsed, p50, p99 = drive(*args)
    client_cpu = (_own_cpu_seconds() - client_before) / elapsed
    server_after = process_cpu_seconds(server_pid)
    server_cpu = None
    if server_before is not None and server_after is not None:
        server_cpu = (server_after - server_before) / elapsed
    return LoadResult(name, client, sent, errors, elapsed, p50, p99, client_cpu, server_cpu)


def process_cpu_seconds(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _own_cpu_seconds() -> float:
    """This process and its finished children (wrk)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _drive_wrk(urls, concurrency, requests, duration, headers):
    base = urlsplit(urls[0])
    if any(urlsplit(url).netloc != base.netloc for url in urls):
        raise ValueError("wrk sends every request to one host and port")
    with tempfile.NamedTemporaryFile("w", suffix=".paths") as paths:
        paths.write("".join(urlsplit(url).path + "\n" for url in urls))
        paths.flush()
        command = _wrk_command(concurrency, duration, headers, LUA_SCRIPT, base)
        figures = _run_wrk([*command, "--", str(requests), paths.name], duration + 60)
    return _wrk_figures(figures)


def _post_wrk(url, body, count, concurrency, headers, expected_status, timeout):
    base = urlsplit(url)
    command = _wrk_command(concurrency, timeout, headers, POST_SCRIPT, base)
    command += ["--", str(count), base.path, body, str(expected_status), str(WRK_THREADS)]
    return _wrk_figures(_run_wrk(command, timeout + 60))


def _wrk_command(concurrency, duration, headers, script, base, threads=WRK_THREADS) -> list[str]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{math.ceil(duration)}s",
        "--timeout=30s",
    ]
    for key, value in headers.items():
        command.append(f"-H{key}: {value}")
    return [*command, "-s", str(script), f"{base.scheme}://{base.netloc}/"]


def _run_wrk(command: list[str], timeout: float, threads: int = WRK_THREADS) -> dict[str, str]:
    """Run wrk; its figures. wrk's main thread sleeps the whole -d even after the
    scripts stopped every thread, and counts that sleep in the duration: so each
    thread prints a line when its share is done, and after the last one wrk is
    interrupted (SIGINT ends the sleep; wrk then reports at once)."""
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    try:
        lines, finished = [], 0
        for line in proc.stdout:
            lines.append(line)
            finished += line.startswith(WRK_THREAD_DONE)
            if finished == threads:
                _interrupt_sleep(proc)
                finished += 1  # once
        stderr = proc.stderr.read()
        returncode = proc.wait()
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stdout = "".join(lines)
    match = WRK_LINE.search(stdout)
    if returncode or not match:
        raise RuntimeError(f"wrk failed ({returncode}): {stdout}{stderr}")
    return dict(item.split("=") for item in match.group(1).split())


def _interrupt_sleep(proc: subprocess.Popen) -> None:
    # wrk ignores SIGINT until its threads are started: ask again until it is heard.
    for _attempt in range(20):
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            continue
        return


def _wrk_figures(figures: dict[str, str]):
    return (
        int(figures["requests"]),
        int(figures["bad"]) + int(figures["socket_errors"]),
        int(figures["duration_us"]) / 1e6,
        float(figures["p50_us"]) / 1e6,
        float(figures["p99_us"]) / 1e6,
    )


def _drive_httpx(urls, concurrency, requests, duration, headers):
    return asyncio.run(_httpx_load(urls, concurrency, requests, duration, headers))


async def _httpx_load(urls, concurrency, requests, duration, headers):
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30) as client:
        latencies: list[float] = []
        errors = 0
        sent = 0

        async def connection() -> None:
            nonlocal errors, sent
            while sent < requests and time.perf_counter() < deadline:
                url = urls[sent % len(urls)]
                sent += 1
                began = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.TransportError:
                    errors += 1
                else:
                    errors += response.status_code != 200
                latencies.append(time.perf_counter() - began)

        start = time.perf_counter()
        deadline = start + duration
        await asyncio.gather(*(connection() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return sent, errors, elapsed, *_percentiles(latencies)


def _post_httpx(url, body, count, concurrency, headers, expected_status, timeout):
    return asyncio.run(
        _httpx_posts(url, body, count, concurrency, headers, expected_status, timeout)
    )


async def _httpx_posts(url, body, count, concurrency, headers, expected_status, timeout):
    """As post.lua: `count` POSTs in all, the next number for each."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30) as client:
        latencies: list[float] = []
        errors = 0
        sent = 0

        async def connection() -> None:
            nonlocal errors, sent
            while sent < count and time.perf_counter() < deadline:
                sent += 1
                content = body.replace("{n}", f"{sent:04d}")
                began = time.perf_counter()
                try:
                    response = await client.post(url, content=content)
                except httpx.TransportError:
                    errors += 1
                else:
                    errors += response.status_code != expected_status
                latencies.append(time.perf_counter() - began)

        start = time.perf_counter()
        deadline = start + timeout
        await asyncio.gather(*(connection() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return len(latencies), errors, elapsed, *_percentiles(latencies)


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    return (cuts[49], cuts[98]) if cuts else ((latencies or [0.0]) * 2)

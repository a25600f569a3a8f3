"""A bounded closed-loop load on this machine: `concurrency` keep-alive connections,
each sending its next request as soon as the previous one is answered.

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
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LUA_SCRIPT = Path(__file__).with_name("load.lua")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARMUP_SECONDS = 30
WRK_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


@dataclass
class LoadResult:
    name: str
    client: str
    requests: int
    errors: int  # answers other than 200, and socket errors
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
    server_before = _process_cpu_seconds(server_pid)
    client_before = _own_cpu_seconds()
    sent, errors, elapsed, p50, p99 = drive(urls, concurrency, requests, duration, headers)
    client_cpu = (_own_cpu_seconds() - client_before) / elapsed
    server_after = _process_cpu_seconds(server_pid)
    server_cpu = None
    if server_before is not None and server_after is not None:
        server_cpu = (server_after - server_before) / elapsed
    return LoadResult(name, client, sent, errors, elapsed, p50, p99, client_cpu, server_cpu)


def _process_cpu_seconds(pid: int | None) -> float | None:
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
        command = ["wrk", "-t1", f"-c{concurrency}", f"-d{math.ceil(duration)}s", "--timeout=30s"]
        for key, value in headers.items():
            command.append(f"-H{key}: {value}")
        command += ["-s", str(LUA_SCRIPT), f"{base.scheme}://{base.netloc}/"]
        command += ["--", str(requests), paths.name]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    match = WRK_LINE.search(done.stdout)
    if done.returncode or not match:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
    figures = dict(item.split("=") for item in match.group(1).split())
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
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    p50, p99 = (cuts[49], cuts[98]) if cuts else (latencies or [0.0]) * 2
    return sent, errors, elapsed, p50, p99

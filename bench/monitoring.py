"""Usage recording's cost: the home page with recording on and with it off, same run.

    python -m bench.monitoring [--requests N] [--duration S] [--concurrency C] [--rounds R]

Two Daphnes on one database: one records (the default settings: each page view buffered
in memory and written in batches by a background thread), one runs with
USAGE_RECORDING=0, the ceiling. Both get the same browser requests (a browser's
User-Agent, the zone cookie), measured in turn, `--rounds` times, median round each. At
the end the recorded page views are counted, so a recorder that silently dropped
everything cannot look free. Aim (issue #15): recording costs under 5%, ratio >= 0.95.
Each round's own on/off ratios are printed too: their spread is the run's noise.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.monitoring")

import secrets
import time

from bench.harness import LoadResult, bench_site, client_name, measure, rate_ratio, summary_line
from bench.pages import check_page, create_members, median_round, page_bench_main

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


def run(*, requests: int, duration: float, concurrency: int, rounds: int) -> str:
    print(
        f"home page, {concurrency} connections, client {client_name()}, up to {requests}"
        f" requests or {duration:g} s per server and round",
        flush=True,
    )
    with bench_site("monitoring") as site:
        from django.conf import settings

        from monitoring.models import UsageEvent

        zone_cookie = f"{settings.TIMEZONE_COOKIE_NAME}=Asia/Manila"
        headers = {"User-Agent": BROWSER, "Cookie": zone_cookie}
        create_members(secrets.token_hex(4))
        off = site.server("recording-off", USAGE_RECORDING="0")
        try:
            off.start_web(application="bench.asgi:application")
            servers = {
                "recording on": (site.url, site.web_pid),
                "recording off": (off.url, off.procs["web"].pid),
            }
            for url, _pid in servers.values():
                check_page(f"{url}/", headers, "Partner institutions")
            results: dict[str, list[LoadResult]] = {name: [] for name in servers}
            for round_number in range(1, rounds + 1):
                print(f"round {round_number}/{rounds}", flush=True)
                order = list(servers.items())
                if round_number % 2 == 0:  # neither server always goes first
                    order.reverse()
                for name, (url, pid) in order:
                    result = measure(
                        name,
                        f"{url}/",
                        headers=headers,
                        server_pid=pid,
                        concurrency=concurrency,
                        requests=requests,
                        duration=duration,
                    )
                    print(f"  {result.describe()}", flush=True)
                    if result.errors:
                        raise RuntimeError(f"{name}: {result.errors} requests failed")
                    results[name].append(result)
        finally:
            off.stop()
        time.sleep(float(settings.USAGE_FLUSH_SECONDS) + 1)  # the last batch
        recorded = UsageEvent.objects.filter(kind="pageview", path="/").count()
        median = {name: median_round(rounds_of) for name, rounds_of in results.items()}
    print(f"median of {rounds} rounds:")
    for result in median.values():
        print(f"  {result.describe()}", flush=True)
    # On a loaded machine throughput swings with the neighbours; the server's own CPU time
    # per request (median over rounds) says more steadily what recording costs.
    cpu = {name: median_cpu_ms(rounds_of) for name, rounds_of in results.items()}
    if all(value is not None for value in cpu.values()):
        on_ms, off_ms = cpu["recording on"], cpu["recording off"]
        print(
            f"server cpu per request: recording on {on_ms:.2f} ms, off {off_ms:.2f} ms"
            f" ({(on_ms / off_ms - 1) * 100:+.1f}%)",
            flush=True,
        )
    print_pairs(results["recording on"], results["recording off"])
    print(f"page views recorded by the recording server: {recorded}", flush=True)
    if recorded == 0:
        raise RuntimeError("the recording server recorded nothing")
    on, ceiling = median["recording on"].rps, median["recording off"].rps
    return summary_line("monitoring", on, "req/s", rate_ratio(on, ceiling))


def print_pairs(on: list[LoadResult], off: list[LoadResult]) -> None:
    """Each round's two servers ran back to back, so their ratio is the least disturbed
    by the neighbours; the spread of these ratios tells how far the median ones can be
    trusted. On a shared 2-core machine two identical servers differ by up to ±6% in
    CPU per request, more in req/s: a difference within the spread is not recording's."""
    rates = [a.rps / b.rps for a, b in zip(on, off, strict=True) if b.rps]
    print("recording on / off, each round: " + " ".join(f"{r:.2f}" for r in rates), flush=True)
    cpu = [
        (a.server_cpu / a.rps) / (b.server_cpu / b.rps) - 1
        for a, b in zip(on, off, strict=True)
        if a.server_cpu is not None and b.server_cpu and a.rps and b.rps
    ]
    if cpu:
        print(
            "server cpu per request on vs off, each round: "
            + " ".join(f"{value * 100:+.1f}%" for value in cpu),
            flush=True,
        )


def median_cpu_ms(results: list[LoadResult]) -> float | None:
    values = sorted(
        r.server_cpu * r.elapsed / r.requests * 1000
        for r in results
        if r.server_cpu is not None and r.requests
    )
    return values[(len(values) - 1) // 2] if values else None


def main(argv: list[str] | None = None) -> None:
    page_bench_main(
        run, argv, prog="python -m bench.monitoring", doc=__doc__, requests=3000, duration=10.0
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("monitoring: interrupted") from None

"""Usage recording's cost: the home page with recording on and with it off, same run.

    python -m bench.monitoring [--requests N] [--duration S] [--concurrency C] [--rounds R]

Three Daphnes on one database: one records (the default settings: each page view
buffered in memory and written in batches by a background thread), two run with
USAGE_RECORDING=0 — the first is the ceiling, the second an A/A control: it differs from
the ceiling in nothing, so its ratio to it is the noise floor (two identical servers on a
shared machine differ by several percent by themselves), and an on/off ratio within that
floor says nothing about recording. All three start with the same PYTHONHASHSEED (dict
and set layouts alike) and get the same browser requests (a browser's User-Agent, the
zone cookie), measured in turn, `--rounds` times, the order rotating each round, median
round each. At the end the recorded page views are counted, so a recorder that silently
dropped everything cannot look free. Aim (issue #15): recording costs under 5%, ratio >=
0.95; the last line's ratio is the median of the rounds' own on/off ratios. Those are
printed too, with the control's: the control's largest deviation is the noise floor.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.monitoring")

import os
import secrets
import statistics
import time
from dataclasses import dataclass

from bench.harness import LoadResult, bench_site, client_name, measure, summary_line
from bench.pages import check_page, create_members, median_round, page_bench_main

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)
ON, OFF, CONTROL = "recording on", "recording off", "control off"


def run(*, requests: int, duration: float, concurrency: int, rounds: int) -> str:
    seed = str(secrets.randbelow(2**32))
    os.environ["PYTHONHASHSEED"] = seed  # the servers' environment is copied from this one
    print(
        f"home page, {concurrency} connections, client {client_name()}, up to {requests}"
        f" requests or {duration:g} s per server and round, PYTHONHASHSEED={seed}",
        flush=True,
    )
    with bench_site("monitoring") as site:
        from django.conf import settings

        from monitoring.models import UsageEvent

        zone_cookie = f"{settings.TIMEZONE_COOKIE_NAME}=Asia/Manila"
        headers = {"User-Agent": BROWSER, "Cookie": zone_cookie}
        create_members(secrets.token_hex(4))
        off = site.server("recording-off", USAGE_RECORDING="0", PYTHONHASHSEED=seed)
        control = site.server("control-off", USAGE_RECORDING="0", PYTHONHASHSEED=seed)
        try:
            off.start_web(application="bench.asgi:application")
            control.start_web(application="bench.asgi:application")
            servers = [
                (ON, site.url, site.web_pid),
                (OFF, off.url, off.procs["web"].pid),
                (CONTROL, control.url, control.procs["web"].pid),
            ]
            for _name, url, _pid in servers:
                check_page(f"{url}/", headers, "Partner institutions")
            results: dict[str, list[LoadResult]] = {name: [] for name, _url, _pid in servers}
            for round_number in range(rounds):
                print(f"round {round_number + 1}/{rounds}", flush=True)
                shift = round_number % len(servers)  # no server always goes first or last
                for name, url, pid in servers[shift:] + servers[:shift]:
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
            control.stop()
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
        on_ms, off_ms, control_ms = cpu[ON], cpu[OFF], cpu[CONTROL]
        print(
            f"server cpu per request: recording on {on_ms:.2f} ms, off {off_ms:.2f} ms"
            f" ({(on_ms / off_ms - 1) * 100:+.1f}%), control off {control_ms:.2f} ms"
            f" ({(control_ms / off_ms - 1) * 100:+.1f}%)",
            flush=True,
        )
    signal = print_pairs("recording on / off", results[ON], results[OFF])
    floor = print_pairs("A/A control off / off", results[CONTROL], results[OFF])
    print_verdict(signal, floor)
    print(f"page views recorded by the recording server: {recorded}", flush=True)
    if recorded == 0:
        raise RuntimeError("the recording server recorded nothing")
    # Each round's pair ran back to back: the median of their ratios is less disturbed by
    # the neighbours than the ratio of two medians that may come from different rounds.
    ratio = statistics.median(signal.rates) if signal.rates else 0.0
    return summary_line("monitoring", median[ON].rps, "req/s", ratio)


@dataclass
class Pairs:
    """Each round's ratio of one server to the ceiling: req/s, and the change in server
    CPU time per request."""

    rates: list[float]
    cpu: list[float]


def print_pairs(label: str, measured: list[LoadResult], ceiling: list[LoadResult]) -> Pairs:
    """Each round's servers ran back to back, so their ratio is the least disturbed by the
    neighbours; the spread of these ratios tells how far the median ones can be trusted."""
    pairs = Pairs(
        rates=[a.rps / b.rps for a, b in zip(measured, ceiling, strict=True) if b.rps],
        cpu=[
            (a.server_cpu / a.rps) / (b.server_cpu / b.rps) - 1
            for a, b in zip(measured, ceiling, strict=True)
            if a.server_cpu is not None and b.server_cpu and a.rps and b.rps
        ],
    )
    print(f"{label}, each round: " + " ".join(f"{r:.2f}" for r in pairs.rates), flush=True)
    if pairs.cpu:
        print(
            f"{label}, server cpu per request each round: "
            + " ".join(f"{value * 100:+.1f}%" for value in pairs.cpu),
            flush=True,
        )
    return pairs


def print_verdict(signal: Pairs, floor: Pairs) -> None:
    """The noise floor is the A/A control's largest deviation from the ceiling in any
    round: two servers that differ in nothing were that far apart, so recording's
    difference (the median round's) means something only beyond it."""
    figures = [
        ("req/s", signal.rates, floor.rates, 1.0),
        ("server cpu", signal.cpu, floor.cpu, 0.0),
    ]
    for what, measured, control, same in figures:
        if not measured or not control:
            continue
        noise = max(abs(value - same) for value in control)
        change = statistics.median(measured) - same
        verdict = "beyond" if abs(change) > noise else "within"
        print(
            f"noise floor ({what}, A/A control): ±{noise * 100:.1f}%;"
            f" recording on vs off {change * 100:+.1f}%, {verdict} it",
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

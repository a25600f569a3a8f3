"""Registration to email: how long after a burst of registrations the confirmations go out.

    python -m bench.drain [--count N] [--concurrency C]
    REDIS_URL=redis://127.0.0.1:6379/0 CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \\
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchdrain python -m bench.drain

`--count` people register for one session with room for all of them, at `--concurrency`
connections through Daphne (as bench/registration.py posts, but with the worker `make
run` starts running all along: prefork, the same concurrency). Each registration's
confirmation is the outbox row under its event key, `webinars.confirmed.<registration>.1`;
once every one is sent (or `--timeout` passed) it prints, over the registrations, the
time from the registration row's `created_at` to its email's `sent_at` (p50, p99, max),
and the burst's drain time: from the last registration to the last email sent.

Without DATABASE_URL this runs on a fresh SQLite file and the embedded (filesystem)
broker, the default a newcomer meets; with it, on a database of its own made on that
server (bench/harness.py). The email backend is the file backend either way.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time

from bench.harness import bench_site, client_name
from bench.load import measure_posts
from bench.registration import create_webinar, csrf_headers, form_body

AIM = {"filesystem": 60.0, "redis": 15.0}  # p99 seconds for 2,000 at concurrency 50


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def confirmations(session_id: int) -> tuple[dict[int, float], dict[int, float | None]]:
    """Each registration's created_at, and its confirmation's sent_at (None: not yet)."""
    from notifications.models import OutboundEmail
    from webinars.models import Registration

    created = {
        pk: at.timestamp()
        for pk, at in Registration.objects.filter(session_id=session_id).values_list(
            "pk", "created_at"
        )
    }
    keys = {f"webinars.confirmed.{pk}.1": pk for pk in created}
    sent: dict[int, float | None] = dict.fromkeys(created)
    rows = OutboundEmail.objects.filter(dedupe_key__startswith="webinars.confirmed.")
    for key, at in rows.values_list("dedupe_key", "sent_at").iterator():
        if key in keys and at is not None:
            sent[keys[key]] = at.timestamp()
    return created, sent


def run(*, count: int, concurrency: int, timeout: float) -> tuple[str, list[str]]:
    from config.management.commands.run_baraza import worker_args

    os.environ["REGISTRATION_RATE_PER_IP"] = "off"
    os.environ["REGISTRATION_RATE_PER_ADDRESS"] = "off"
    tag = secrets.token_hex(4)
    failures: list[str] = []
    with bench_site("drain") as site:
        from django.conf import settings
        from django.db import connection

        broker = settings.CELERY_BROKER_URL.partition(":")[0]
        site.processes.start_worker_with(worker_args())
        print(
            f"{count} registrations, {connection.vendor} + {broker} broker, Daphne (DEBUG off),"
            f" {concurrency} connections, client {client_name()},"
            f" worker: {' '.join(worker_args())}",
            flush=True,
        )
        webinar, session = create_webinar(tag, "drain", None)
        headers, token = csrf_headers(site, f"/webinars/{webinar.slug}/")
        started = time.time()
        load = measure_posts(
            "register",
            f"{site.url}/webinars/{webinar.slug}/",
            form_body(token, session.pk),
            count=count,
            concurrency=concurrency,
            headers=headers,
            server_pid=site.web_pid,
        )
        posted = time.time()
        print(
            f"  posted {load.requests} in {load.elapsed:.1f} s ({load.rps:.1f}/s,"
            f" {load.errors} errors); waiting for the confirmations...",
            flush=True,
        )
        deadline = posted + timeout
        while True:
            created, sent = confirmations(session.pk)
            waiting = sum(1 for at in sent.values() if at is None)
            if not waiting or time.time() > deadline:
                break
            time.sleep(0.5)
        latencies = [sent[pk] - at for pk, at in created.items() if sent[pk] is not None]
        if len(created) != count or load.errors:
            failures.append(f"{len(created)} registrations stored, {load.errors} POSTs not 302")
        if waiting:
            failures.append(f"{waiting} confirmations not sent {timeout:.0f} s after the burst")
        if not latencies:
            return "drain: no email sent", failures + ["no email sent"]
        p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
        last_sent = max(at for at in sent.values() if at is not None)
        drain = last_sent - max(created.values())
        print(
            f"registration -> email sent: p50 {p50:.1f} s, p99 {p99:.1f} s, max"
            f" {max(latencies):.1f} s, mean {statistics.fmean(latencies):.1f} s"
            f" ({len(latencies)} of {len(created)} sent)"
        )
        print(
            f"burst: posted in {posted - started:.1f} s; last email sent {drain:.1f} s after the"
            f" last registration ({last_sent - started:.1f} s after the first POST)"
        )
        aim = AIM.get(broker)
        if aim is not None and count >= 2000 and concurrency >= 50:
            print(f"aim: p99 under {aim:.0f} s here -> {'met' if p99 < aim else 'NOT met'}")
    return f"drain: p99 {p99:.1f} s, drain {drain:.1f} s ({count} registrations)", failures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.drain", description=__doc__)
    parser.add_argument("--count", type=int, default=2000, help="registrations posted")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds to wait for the emails"
    )
    args = parser.parse_args(argv)
    line, failures = run(count=args.count, concurrency=args.concurrency, timeout=args.timeout)
    print(line, flush=True)
    if failures:
        sys.exit("drain: WRONG OUTCOME: " + "; ".join(failures))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("drain: interrupted") from None

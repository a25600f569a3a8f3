"""Registration: 2,000 people register at once for one session of 1,500 seats.

    python -m bench.registration [--count N] [--capacity C] [--concurrency C]
                                 [--flow-count N] [--flow-concurrency C]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.registration

Each person POSTs the webinar page's form (a distinct address, person0001@bench.example
and on, with the CSRF cookie and token of one GET of the page) through Daphne, at
`--concurrency` connections, exactly `--count` POSTs: the load stops by count, not by
time. Every answer must be the 302 to the thank-you page, and the database must then
hold exactly `capacity` confirmed and the rest waitlisted.

The ceiling is the same POST, as many times at the same concurrency, to a bench-only
view of the same server and database that only inserts one row (bench/views.py). It is
measured before and after the registrations and the two runs pooled, so that a change
in what else the machine runs meanwhile weighs on both figures alike. Each run also
shows the server's CPU time per request, less sensitive to such neighbours than rates.

Confirmation emails are the worker's job: each registration queues one task once it
commits. No worker runs during the load (it would take a core from Daphne); the tasks
queued and the emails written are counted afterwards.

The whole flow, as a browser walks it (`--flow-count` people at `--flow-concurrency`):
each person, with a fresh cookie jar, GETs the webinar page, reads the form from it
(every field's default, as a browser without JavaScript submits it), fills in the
address and name, ticks consent, POSTs, and follows the redirect to the thank-you page:
three requests, counted as one registration. Its ceiling is the same three requests
on the constant page and the one-INSERT view (GET /bench/ceiling/, POST, GET
/bench/ceiling/), before and after, pooled. The flow's client is wrk when it is
installed (bench/flow.lua: one connection per wrk thread, each person's CSRF cookie and
token taken from the page it got, the form's other fields read once from the page in
Python), else httpx in this process, which parses every page but takes a large share of
the machine's CPU from the server; ceiling and flow always use the same client, and the
server's CPU per person is shown for both.

Without DATABASE_URL this runs on a fresh SQLite file; with it, on a new database on that
PostgreSQL server, dropped at the end.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.registration")

import argparse
import asyncio
import os
import re
import resource
import secrets
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

from bench.harness import LoadResult, Site, bench_site, client_name, rate_ratio, summary_line
from bench.load import measure_posts, measure_walks

PG_EXAMPLE = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.registration"
WARMUP = 30  # registrations to another webinar, and as many ceiling rows, before measuring
DOMAIN = "bench.example"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def create_webinar(tag: str, name: str, capacity: int | None):
    """A published webinar with one session in a week, open for registration."""
    from core.clock import now
    from members.models import Organization
    from webinars.models import Session, Webinar

    organization, _ = Organization.objects.get_or_create(
        slug=f"bench-{tag}", defaults={"name": "Bench institution", "country": "KE"}
    )
    webinar = Webinar.objects.create(
        slug=f"bench-{tag}-{name}", title=f"Bench {name}", status=Webinar.Status.PUBLISHED
    )
    webinar.organizations.add(organization)
    session = Session.objects.create(
        webinar=webinar,
        starts_at=now() + timedelta(days=7),
        duration_minutes=90,
        capacity=capacity,
        host_zone="Africa/Nairobi",
    )
    return webinar, session


def csrf_headers(site: Site, page: str) -> tuple[dict, str]:
    """The headers of a browser's POSTs after one GET of `page`, and the form's CSRF
    token: one cookie and token pair for every POST, as one browser would send."""
    from django.conf import settings

    response = httpx.get(site.url + page, timeout=30)
    token = TOKEN.search(response.text)
    if response.status_code != 200 or token is None:
        raise RuntimeError(f"{page} answered {response.status_code} without a registration form")
    headers = {
        "Cookie": f"{settings.CSRF_COOKIE_NAME}={response.cookies[settings.CSRF_COOKIE_NAME]}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": site.url + page,
    }
    return headers, token.group(1)


def body_template(fields: dict) -> str:
    """`fields` urlencoded, their "{n}" (the person's number) and "{token}" (the CSRF
    token) left for the load client (bench/post.lua, bench/flow.lua) to fill in."""
    return urlencode(fields).replace("%7Bn%7D", "{n}").replace("%7Btoken%7D", "{token}")


def form_body(token: str, session_id: int) -> str:
    """The form a person sends, urlencoded, with `{n}` for the person's number."""
    return body_template(
        {
            "csrfmiddlewaretoken": token,
            "session": session_id,
            "email": f"person{{n}}@{DOMAIN}",
            "full_name": "Bench Person {n}",
            "organization_name": "Bench Ministry of Health",
            "country": "KE",
            "language": "en",
            "time_zone": "Africa/Nairobi",
            "consent": "on",
            "website": "",
            "src": "bench",
        }
    )


def warm_up(urls: list[str], body: str, headers: dict) -> None:
    """A few POSTs to each view, one at a time, so the measured runs start warm."""
    with httpx.Client(headers=headers, timeout=30) as client:
        for index, url in enumerate(urls):
            for number in range(1, WARMUP + 1):
                warm = f"w{index}-{number:03d}"
                response = client.post(url, content=body.replace("{n}", warm))
                if response.status_code != 302:
                    raise RuntimeError(f"warm-up POST {url} answered {response.status_code}")


class TaskQueue:
    """The tasks waiting for a worker: files of the filesystem broker, or a Redis list."""

    def __init__(self, site: Site):
        from django.conf import settings

        self.broker = settings.CELERY_BROKER_URL
        self.queue = site.processes.env["CELERY_QUEUE"]
        self.folder = Path(site.processes.env["BARAZA_VAR_DIR"]) / "celery" / "queue"

    def waiting(self) -> int | None:
        if self.broker.startswith("filesystem://"):
            return sum(1 for path in self.folder.iterdir() if path.is_file())
        if self.broker.startswith("redis"):
            import redis

            client = redis.Redis.from_url(self.broker)
            # kombu keeps one list per priority step: the queue's name, then name\x06\x16N.
            keys = [self.queue, *client.keys(f"{self.queue}\x06\x16*")]
            return sum(client.llen(key) for key in keys)
        return None


def seat_counts(session_id: int) -> dict[str, int]:
    from django.db.models import Count

    from webinars.models import Registration

    rows = (
        Registration.objects.filter(session_id=session_id)
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return dict(rows)


def emails_written(site: Site) -> int:
    """Emails stored or sent so far for the bench's addresses: none, without a worker."""
    from notifications.models import OutboundEmail

    stored = OutboundEmail.objects.filter(to__endswith=f"@{DOMAIN}").count()
    mail = site.processes.mail_dir
    return stored + (sum(1 for _ in mail.iterdir()) if mail.exists() else 0)


def print_server_errors(site: Site, limit: int = 40) -> None:
    """What the server logged besides its access lines: each exception with how often
    it was raised, then the first traceback."""
    path = site.processes.workdir / "web.log"
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    lines = [line for line in lines if not re.match(r"^127\.0\.0\.1:\d+ - - ", line)]
    raised = Counter(line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line))
    report = [f"--- server log: {len(lines)} lines besides the access log ---"]
    report += [f"{count:5d} x {line}" for line, count in raised.most_common()]
    report += lines[:limit]
    print("\n".join(report), file=sys.stderr, flush=True)


def cpu_per_request(result: LoadResult) -> float | None:
    """Milliseconds of the server's CPU per answered request."""
    if result.server_cpu is None or not result.requests:
        return None
    return result.server_cpu * result.elapsed / result.requests * 1000


def describe(result: LoadResult, unit: str, *, each: str = "request") -> str:
    cpu = cpu_per_request(result)
    server = f"{cpu:.1f} ms" if cpu is not None else "?"
    return (
        f"{result.name:<9} {result.rps:6.1f} {unit:<16} p50 {result.p50 * 1000:6.1f} ms"
        f"  p99 {result.p99 * 1000:7.1f} ms  ({result.requests} in {result.elapsed:.1f} s,"
        f" {result.errors} errors; server cpu {server}/{each}, {result.client}"
        f" cpu {result.client_cpu:.0%})"
    )


class RegistrationFormReader(HTMLParser):
    """The registration form as a browser without JavaScript submits it: each field's
    default value (a select's selected or first option; a checkbox only when checked)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.found = False
        self._inside = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and "panel" in attrs.get("class", ""):
            self._inside = self.found = True
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in attrs or self._select not in self.fields:
                self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def read_registration_form(html: str) -> dict[str, str]:
    reader = RegistrationFormReader()
    reader.feed(html)
    if not reader.found:
        raise ValueError("no registration form on the page")
    return reader.fields


def _cpu_seconds(pid: int | None = None) -> float | None:
    """CPU seconds of process `pid` (from /proc), or of this process and its children."""
    if pid is None:
        usage = [
            resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        ]
        return sum(u.ru_utime + u.ru_stime for u in usage)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _walk(people: int, concurrency: int, person) -> tuple[int, int, float, list[float]]:
    """`person(client, n)` for n = 1..people over `concurrency` clients; each person gets
    a fresh cookie jar. Returns (people done, people who failed, seconds, latencies)."""
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    latencies: list[float] = []
    failed = 0
    next_number = 0

    async def worker() -> None:
        nonlocal failed, next_number
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            while next_number < people:
                next_number += 1
                number = next_number
                client.cookies = httpx.Cookies()  # a new person, a new browser
                began = time.perf_counter()
                try:
                    ok = await person(client, number)
                except (httpx.TransportError, ValueError):
                    ok = False
                failed += not ok
                latencies.append(time.perf_counter() - began)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies), failed, time.perf_counter() - start, latencies


def measure_flow(name: str, person, *, people: int, concurrency: int, server_pid: int):
    """People walking `person` (three requests each); figures per person."""
    server_before, client_before = _cpu_seconds(server_pid), _cpu_seconds()
    done, failed, elapsed, latencies = asyncio.run(_walk(people, concurrency, person))
    server_after, client_after = _cpu_seconds(server_pid), _cpu_seconds()
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    server_cpu = None
    if server_before is not None and server_after is not None:
        server_cpu = (server_after - server_before) / elapsed
    return LoadResult(
        name,
        "httpx",
        done,
        failed,
        elapsed,
        cuts[49],
        cuts[98],
        (client_after - client_before) / elapsed,
        server_cpu,
    )


def browser_person(site_url: str, page: str, prefix: str):
    """One person registering as a browser does: GET the page, read the form, POST it,
    follow the redirect to the thank-you page."""

    async def person(client, number: int) -> bool:
        url = site_url + page
        shown = await client.get(url)
        if shown.status_code != 200:
            return False
        fields = read_registration_form(shown.text)
        fields.update(
            email=f"{prefix}{number:04d}@{DOMAIN}",
            full_name=f"Bench Person {number}",
            country="KE",
            consent="on",
        )
        posted = await client.post(url, data=fields, headers={"Referer": url})
        if posted.status_code != 302:
            return False
        thanks = await client.get(urljoin(url, posted.headers["location"]))
        return thanks.status_code == 200 and "registered" in str(thanks.url)

    return person


def flow_body(url: str, prefix: str) -> str:
    """The registration form as the page at `url` gives it (read once, as a browser
    would), urlencoded, with "{token}" for the CSRF token of each person's own page and
    "{n}" for the person's number: what bench/flow.lua fills in."""
    fields = read_registration_form(httpx.get(url, timeout=30).text)
    fields.update(
        csrfmiddlewaretoken="{token}",
        email=f"{prefix}{{n}}@{DOMAIN}",
        full_name="Bench Person {n}",
        country="KE",
        consent="on",
    )
    return body_template(fields)


def ceiling_body(prefix: str) -> str:
    """The ceiling's one-INSERT form, as `ceiling_person` posts it, for bench/flow.lua."""
    return body_template(
        {
            "csrfmiddlewaretoken": "{token}",
            "email": f"{prefix}{{n}}@{DOMAIN}",
            "full_name": "Bench Person {n}",
        }
    )


def ceiling_person(site_url: str, insert_url: str, csrf_cookie: str, token: str, prefix: str):
    """The same three requests on the ceiling: the constant page, the one-INSERT POST
    (with one CSRF pair, as the constant page sets no cookie), the constant page."""
    from django.conf import settings

    async def person(client, number: int) -> bool:
        constant = site_url + "/bench/ceiling/"
        first = await client.get(constant)
        client.cookies.set(settings.CSRF_COOKIE_NAME, csrf_cookie)
        posted = await client.post(
            insert_url,
            data={
                "csrfmiddlewaretoken": token,
                "email": f"{prefix}{number:04d}@{DOMAIN}",
                "full_name": f"Bench Person {number}",
            },
            headers={"Referer": constant},
        )
        last = await client.get(constant)
        return (first.status_code, posted.status_code, last.status_code) == (200, 302, 200)

    return person


def run_flow(site: Site, tag: str, *, people: int, concurrency: int) -> tuple[float, float, list]:
    """The whole flow and its ceiling: (registrations/s, ceiling people/s, failures)."""
    from django.conf import settings

    failures = []

    def flow_webinar(name: str):
        """A webinar as partners make them: an audience over four countries (their
        clocks on the page) and one question of their own."""
        webinar, _session = create_webinar(tag, name, None)
        webinar.audience = {"PH": 30, "IN": 20, "KE": 20, "BR": 10}
        webinar.save(update_fields=["audience"])
        webinar.questions.create(label="Your role?", kind="choice", choices=["A", "B"], position=1)
        return webinar, _session

    webinar, session = flow_webinar("flow")
    page = f"/webinars/{webinar.slug}/"
    # The same kind of page first, so that what a process does once (reading the city
    # list for the audience's clocks, compiling templates) is not counted as the flow's.
    warm, _warm_session = flow_webinar("flow-warm-up")
    headers, token = csrf_headers(site, page)
    cookie = headers["Cookie"].split("=", 1)[1]
    assert settings.CSRF_COOKIE_NAME in headers["Cookie"]

    def ceiling_target(name: str) -> tuple[str, int]:
        other, other_session = create_webinar(tag, name, None)
        return f"{site.url}/bench/ceiling/register/{other.pk}/{other_session.pk}/", other_session.pk

    load = {"concurrency": concurrency, "server_pid": site.web_pid}
    walker = client_name()

    def walk_flow(name: str, path: str, prefix: str, count: int) -> LoadResult:
        if walker != "wrk":
            return measure_flow(name, browser_person(site.url, path, prefix), people=count, **load)
        body = flow_body(site.url + path, prefix)
        args = [path, path, body, settings.CSRF_COOKIE_NAME]
        return measure_walks(name, site.url, "flow", args, people=count, **load)

    def walk_ceiling(name: str, insert_url: str, prefix: str, count: int) -> LoadResult:
        if walker != "wrk":
            person = ceiling_person(site.url, insert_url, cookie, token, prefix)
            return measure_flow(name, person, people=count, **load)
        body = ceiling_body(prefix)
        constant = "/bench/ceiling/"
        args = [constant, urlsplit(insert_url).path, body, settings.CSRF_COOKIE_NAME, cookie, token]
        return measure_walks(name, site.url, "ceiling", args, people=count, **load)

    warm_ceiling = ceiling_target("flow-ceiling-warm-up")
    walk_flow("warm-up", f"/webinars/{warm.slug}/", "warm", 40)
    walk_ceiling("warm-up", warm_ceiling[0], "warm", 40)
    targets = [ceiling_target("flow-ceiling-before"), ceiling_target("flow-ceiling-after")]
    ceilings = [walk_ceiling("ceiling", targets[0][0], "flowc", people)]
    print(f"  {describe(ceilings[0], 'people/s', each='person')}", flush=True)
    flow = walk_flow("flow", page, "flow", people)
    print(f"  {describe(flow, 'registrations/s', each='person')}", flush=True)
    ceilings.append(walk_ceiling("ceiling", targets[1][0], "flowc", people))
    print(f"  {describe(ceilings[1], 'people/s', each='person')}", flush=True)
    ceiling_rps = sum(c.requests for c in ceilings) / sum(c.elapsed for c in ceilings)
    stored = sum(seat_counts(session.pk).values())
    if flow.errors or stored != people:
        failures.append(f"flow: {stored} registrations stored of {people}, {flow.errors} failed")
    for ceiling, (_url, pk) in zip(ceilings, targets, strict=True):
        if ceiling.errors or sum(seat_counts(pk).values()) != people:
            failures.append(f"flow ceiling: {ceiling.errors} people failed")
    print(
        f"whole flow (GET the page, POST the form, GET the thank-you page; a fresh cookie"
        f" jar each): {flow.rps:.1f} registrations/s = {flow.rps * 3:.0f} requests/s,"
        f" p50 {flow.p50 * 1000:.0f} ms per {'person' if flow.client == 'httpx' else 'request'};"
        f" {stored} stored"
    )
    print(
        f"flow ceiling (constant page, one-INSERT POST, constant page): {ceiling_rps:.1f}"
        f" people/s, pooled from {ceilings[0].rps:.1f} before and {ceilings[1].rps:.1f} after"
    )
    return flow.rps, ceiling_rps, failures


def run(
    *, count: int, capacity: int, concurrency: int, flow_people: int = 0, flow_concurrency: int = 20
) -> tuple[str, list[str]]:
    """The summary line and the correctness failures (none when all is right)."""
    # Every POST comes from 127.0.0.1: the per-IP and per-address limits would refuse most.
    os.environ["REGISTRATION_RATE_PER_IP"] = "off"
    os.environ["REGISTRATION_RATE_PER_ADDRESS"] = "off"
    tag = secrets.token_hex(4)
    failures: list[str] = []
    with bench_site("registration") as site:
        from django.db import connection

        print(
            f"{count} registrations for one session of {capacity} seats, {connection.vendor},"
            f" Daphne (DEBUG off), {concurrency} connections, client {client_name()}",
            flush=True,
        )
        webinar, session = create_webinar(tag, "crowd", capacity)
        page = f"/webinars/{webinar.slug}/"
        headers, token = csrf_headers(site, page)
        body = form_body(token, session.pk)

        def ceiling_url(name: str) -> tuple[str, int]:
            """The ceiling view inserting into a session of its own, so the same emails fit."""
            other, other_session = create_webinar(tag, name, None)
            return (
                f"{site.url}/bench/ceiling/register/{other.pk}/{other_session.pk}/",
                other_session.pk,
            )

        warm_webinar, warm_session = create_webinar(tag, "warm-up", None)
        warm_ceiling = f"{site.url}/bench/ceiling/register/{warm_webinar.pk}/{warm_session.pk}/"
        warm_up(
            [site.url + f"/webinars/{warm_webinar.slug}/", warm_ceiling],
            form_body(token, warm_session.pk),
            headers,
        )
        ceiling_targets = [ceiling_url("ceiling-before"), ceiling_url("ceiling-after")]

        # The ceiling before and after the registrations: a change of the machine's
        # load during the run (others' jobs) falls on both figures alike.
        tasks = TaskQueue(site)
        load = {"count": count, "concurrency": concurrency, "headers": headers}
        load["server_pid"] = site.web_pid
        before = tasks.waiting()
        ceilings = [measure_posts("ceiling", ceiling_targets[0][0], body, **load)]
        print(f"  {describe(ceilings[0], 'req/s')}", flush=True)
        ceiling_tasks = tasks.waiting()
        register = measure_posts("register", site.url + page, body, **load)
        print(f"  {describe(register, 'registrations/s')}", flush=True)
        register_tasks = tasks.waiting()
        ceilings.append(measure_posts("ceiling", ceiling_targets[1][0], body, **load))
        print(f"  {describe(ceilings[1], 'req/s')}", flush=True)
        ceiling_rps = sum(c.requests for c in ceilings) / sum(c.elapsed for c in ceilings)

        seats = seat_counts(session.pk)
        expected = {"confirmed": min(count, capacity), "waitlisted": max(count - capacity, 0)}
        ceiling_rows = [sum(seat_counts(pk).values()) for _url, pk in ceiling_targets]
        written = emails_written(site)
        print(
            f"registrations: {register.rps:.1f}/s, p50 {register.p50 * 1000:.0f} ms,"
            f" p99 {register.p99 * 1000:.0f} ms, {register.errors} errors (answers other than 302)"
        )
        print(
            f"outcome in the database: {seats.get('confirmed', 0)} confirmed +"
            f" {seats.get('waitlisted', 0)} waitlisted"
            + (f" + {seats}" if set(seats) - set(expected) else "")
            + f" (expected {expected['confirmed']} + {expected['waitlisted']})"
        )
        print(
            f"ceiling (the same POST, one INSERT): {ceiling_rps:.1f} req/s, pooled from"
            f" {ceilings[0].rps:.1f} before and {ceilings[1].rps:.1f} after the registrations;"
            f" rows {' + '.join(map(str, ceiling_rows))}"
        )
        if before is None:
            print("email tasks queued: not counted for this broker")
        else:
            print(
                f"email tasks queued by the registrations: {register_tasks - ceiling_tasks}"
                f" (by the ceiling: {ceiling_tasks - before}), left for the worker, which"
                f" was not running; emails written during the requests: {written}"
            )

        if {k: v for k, v in seats.items() if v} != {k: v for k, v in expected.items() if v}:
            failures.append(f"seats {seats}, expected {expected}")
        if register.errors or register.requests != count:
            failures.append(
                f"{register.requests} registrations answered, {register.errors} not 302"
            )
        for ceiling, rows in zip(ceilings, ceiling_rows, strict=True):
            if ceiling.errors or rows != count:
                failures.append(f"ceiling: {rows} rows, {ceiling.errors} answers not 302")
        if written:
            failures.append(f"{written} emails written while answering requests")
        if flow_people:
            print(
                f"{flow_people} people through the whole flow, {flow_concurrency} at a time,"
                f" client {client_name()}",
                flush=True,
            )
            flow_rps, flow_ceiling, flow_failures = run_flow(
                site, tag, people=flow_people, concurrency=flow_concurrency
            )
            failures += flow_failures
            ratio = rate_ratio(flow_rps, flow_ceiling)
            print(summary_line("registration flow", flow_rps, "registrations/s", ratio))
        if failures:
            print_server_errors(site)
    if not os.environ.get("DATABASE_URL"):
        print(f"(SQLite; the same on PostgreSQL: {PG_EXAMPLE})")
    ratio = rate_ratio(register.rps, ceiling_rps)
    return summary_line("registration", register.rps, "registrations/s", ratio), failures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.registration", description=__doc__)
    parser.add_argument("--count", type=int, default=2000, help="registrations posted")
    parser.add_argument("--capacity", type=int, default=1500, help="seats of the session")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--flow-count", type=int, default=300, help="people through the whole flow (0: none)"
    )
    parser.add_argument("--flow-concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    line, failures = run(
        count=args.count,
        capacity=args.capacity,
        concurrency=args.concurrency,
        flow_people=args.flow_count,
        flow_concurrency=args.flow_concurrency,
    )
    print(line, flush=True)
    if failures:
        sys.exit("registration: WRONG OUTCOME: " + "; ".join(failures))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("registration: interrupted") from None

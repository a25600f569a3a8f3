"""Pages: the anonymous home page and a member's profile (logged in), 1,000 members.

    python -m bench.pages [--requests N] [--duration S] [--concurrency C] [--rounds R]

Requests carry the cookies a browser would send (the visitor's zone, the member's
session); the ceiling gets none. Home, profile and the ceiling are measured in turn,
`--rounds` times, and each keeps its median round: on a shared machine one round in
a few is disturbed, in either direction. The summary figure is the slower of the two
pages, not their mean: a site is only as fast as the slowest page people use.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.pages")

import argparse
import secrets

import httpx

from bench.harness import LoadResult, bench_site, client_name, measure, rate_ratio, summary_line
from tests.servers import session_key_for

MEMBERS = 1000
ORGANIZATIONS = 20
PASSWORD = "bench-pass-phrase-42"
ZONES = ["Asia/Manila", "Africa/Nairobi", "America/Bogota", "Europe/Paris", "Asia/Kathmandu"]
COUNTRIES = ["PH", "KE", "CO", "FR", "NP"]
BROWSER_ZONE = "Africa/Nairobi"


def create_members(tag: str) -> list[int]:
    """Organizations and members in bulk (one password hash for all); their ids."""
    from django.contrib.auth.hashers import make_password

    from members.models import Member, Organization

    organizations = Organization.objects.bulk_create(
        Organization(
            slug=f"bench-{tag}-{index}",
            name=f"Bench institution {index:02d}",
            country=COUNTRIES[index % len(COUNTRIES)],
            kind=Organization.Kind.GOVERNMENT,
        )
        for index in range(ORGANIZATIONS)
    )
    password = make_password(PASSWORD)
    Member.objects.bulk_create(
        (
            Member(
                email=f"bench-{tag}-{index:04d}@bench.example",
                full_name=f"Bench Member {index:04d}",
                password=password,
                organization=organizations[index % len(organizations)],
                country=COUNTRIES[index % len(COUNTRIES)],
                time_zone=ZONES[index % len(ZONES)],
            )
            for index in range(MEMBERS)
        ),
        batch_size=500,
    )
    emails = Member.objects.filter(email__startswith=f"bench-{tag}-")
    return list(emails.order_by("id").values_list("id", flat=True))


def log_in(member_id: int) -> str:
    """A session for the member, written where the server reads sessions; its key."""
    from members.models import Member

    return session_key_for(Member.objects.get(pk=member_id))


def check_page(url: str, headers: dict, expected: str) -> httpx.Response:
    response = httpx.get(url, headers=headers, timeout=30)
    if response.status_code != 200 or expected not in response.text:
        raise RuntimeError(f"{url} answered {response.status_code}, without {expected!r}")
    return response


def browser_targets(base_url: str, member_ids: list[int], session_key: str) -> list[tuple]:
    """(name, urls, headers, text the page must show), with the cookies a browser sends
    after its first page: the zone timezone.js sets, the CSRF cookie, the session."""
    from django.conf import settings

    zone = f"{settings.TIMEZONE_COOKIE_NAME}={BROWSER_ZONE}"
    first = check_page(f"{base_url}/", {"Cookie": zone}, "Partner institutions")
    csrf = f"{settings.CSRF_COOKIE_NAME}={first.cookies[settings.CSRF_COOKIE_NAME]}"
    visitor = {"Cookie": f"{zone}; {csrf}"}
    member = {"Cookie": f"{zone}; {csrf}; {settings.SESSION_COOKIE_NAME}={session_key}"}
    # The member looks at every other member's profile in turn.
    from members.models import Member

    public_ids = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "public_id"))
    profiles = [f"{base_url}/members/{public_ids[pk]}/" for pk in member_ids[1:]]
    targets = [
        ("ceiling", [f"{base_url}/bench/ceiling/"], {}, "Ceiling"),
        ("home", [f"{base_url}/"], visitor, "Partner institutions"),
        ("profile", profiles, member, "Bench Member 0001"),
    ]
    for _name, urls, headers, expected in targets:
        check_page(urls[0], headers, expected)
    return targets


def measure_rounds(targets, *, rounds: int, server_pid: int, **load) -> dict[str, LoadResult]:
    """Each target in turn, `rounds` times; the median round of each."""
    results: dict[str, list[LoadResult]] = {name: [] for name, *_ in targets}
    for round_number in range(1, rounds + 1):
        print(f"round {round_number}/{rounds}", flush=True)
        for name, urls, headers, _expected in targets:
            result = measure(name, urls, headers=headers, server_pid=server_pid, **load)
            print(f"  {result.describe()}", flush=True)
            if result.errors:
                raise RuntimeError(f"{name}: {result.errors} requests failed")
            results[name].append(result)
    median = {name: median_round(rounds_of) for name, rounds_of in results.items()}
    print(f"median of {rounds} rounds:")
    for result in median.values():
        print(f"  {result.describe()}", flush=True)
    return median


def median_round(results: list[LoadResult]) -> LoadResult:
    """The round with the median throughput (the lower one of an even count)."""
    ordered = sorted(results, key=lambda result: result.rps)
    return ordered[(len(ordered) - 1) // 2]


def run(*, requests: int, duration: float, concurrency: int, rounds: int) -> str:
    print(
        f"{MEMBERS} members, {concurrency} connections, client {client_name()},"
        f" up to {requests} requests or {duration:g} s per page and round",
        flush=True,
    )
    tag = secrets.token_hex(4)
    with bench_site("pages") as site:
        member_ids = create_members(tag)
        session_key = log_in(member_ids[0])
        targets = browser_targets(site.url, member_ids, session_key)
        median = measure_rounds(
            targets,
            rounds=rounds,
            server_pid=site.web_pid,
            concurrency=concurrency,
            requests=requests,
            duration=duration,
        )
    slower = min(median["home"].rps, median["profile"].rps)
    return summary_line("pages", slower, "req/s", rate_ratio(slower, median["ceiling"].rps))


def page_bench_main(
    run, argv: list[str] | None, *, prog: str, doc: str, requests: int, duration: float
) -> None:
    """The command line of a page benchmark (this one, bench.community_page)."""
    parser = argparse.ArgumentParser(prog=prog, description=doc)
    parser.add_argument("--requests", type=int, default=requests, help="per page and round")
    parser.add_argument(
        "--duration", type=float, default=duration, help="seconds, per page and round"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    line = run(
        requests=args.requests,
        duration=args.duration,
        concurrency=args.concurrency,
        rounds=args.rounds,
    )
    print(line, flush=True)


def main(argv: list[str] | None = None) -> None:
    page_bench_main(
        run, argv, prog="python -m bench.pages", doc=__doc__, requests=3000, duration=10.0
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("pages: interrupted") from None

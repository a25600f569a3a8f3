"""A community's page with 5,000 threads and 20,000 members: time and query count.

    python -m bench.community_page [--requests N] [--duration S] [--rounds R]

The page a visitor sees (public community, logged out), the page a member sees (logged
in: their membership, the mute and leave buttons, the chat preview), and a page deep in
the thread list (?page=150) are measured against the bench ceiling, in turn, `--rounds`
times; each keeps its median round. Query counts are taken in this process through the
test client on the same database: they must not depend on the community's size. The
summary is the slowest of the three pages.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.community_page")

import random
import secrets
from datetime import timedelta

from bench.harness import bench_site, client_name, rate_ratio, summary_line
from bench.pages import check_page, log_in, measure_rounds, page_bench_main

THREADS = 5_000
MEMBERS = 20_000
BATCH = 2_000


def create_community(tag: str) -> tuple[str, int]:
    """The community, its members, threads (each with its opening post) and a chat
    history, in bulk; its slug and one member's id."""
    from django.contrib.auth.hashers import make_password

    from communities.models import ChatMessage, ChatRoom, Membership, Post, Thread
    from communities.services.spaces import community_create
    from core.clock import now
    from members.models import Member, Organization, Role

    rng = random.Random(5)
    at = now()
    organization = Organization.objects.create(slug=f"bench-{tag}", name="Bench network")
    password = make_password(secrets.token_urlsafe(12))
    owner = Member.objects.create(
        email=f"bench-{tag}-owner@bench.example", password=password, role=Role.STAFF
    )
    community = community_create(
        creator=owner,
        organization=organization,
        slug=f"bench-{tag}",
        name="Cash transfers practitioners",
        description="A **large** community: " + "words " * 80,
        rules="Be kind.",
    )
    Member.objects.bulk_create(
        (
            Member(
                email=f"bench-{tag}-{index:05d}@bench.example",
                full_name=f"Member {index:05d}",
                password=password,
            )
            for index in range(MEMBERS)
        ),
        batch_size=BATCH,
    )
    ids = list(
        Member.objects.filter(email__startswith=f"bench-{tag}-", full_name__startswith="Member ")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Membership.objects.bulk_create(
        (
            Membership(
                community=community,
                member_id=member_id,
                handle=f"member-{member_id}",
                last_active_at=at - timedelta(days=rng.randint(0, 60)),
            )
            for member_id in ids
        ),
        batch_size=BATCH,
    )
    Thread.objects.bulk_create(
        (
            Thread(
                community=community,
                author_id=ids[index % len(ids)],
                title=f"Discussion {index}: how do you handle grievances?",
                is_pinned=index < 3,
                reply_count=rng.randint(0, 30),
                created_at=at - timedelta(hours=index),
                last_activity_at=at - timedelta(minutes=index * 7),
            )
            for index in range(THREADS)
        ),
        batch_size=BATCH,
    )
    threads = Thread.objects.filter(community=community).values_list("pk", "author_id")
    Post.objects.bulk_create(
        (
            Post(
                thread_id=thread_id,
                community=community,
                author_id=author_id,
                is_opening=True,
                body="What worked for you?",
                body_html="<p>What worked for you?</p>",
                created_at=at,
            )
            for thread_id, author_id in threads
        ),
        batch_size=BATCH,
    )
    room = ChatRoom.objects.get(community=community)
    ChatMessage.objects.bulk_create(
        ChatMessage(
            room=room,
            author_id=ids[index],
            author_name=f"Member {index:05d}",
            body="Hello!",
            body_html="<p>Hello!</p>",
        )
        for index in range(200)
    )
    return community.slug, ids[1]


def query_counts(slug: str, member_id: int) -> dict[str, int]:
    """Queries per page, counted here through the test client on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from members.models import Member

    counts = {}
    visitor, member = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    member.force_login(Member.objects.get(pk=member_id))
    for name, client, url in (
        ("visitor", visitor, f"/communities/{slug}/"),
        ("member", member, f"/communities/{slug}/"),
        ("deep", visitor, f"/communities/{slug}/?page=150"),
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        counts[name] = len(captured)
    return counts


def run(*, requests: int, duration: float, rounds: int, concurrency: int) -> str:
    from django.conf import settings

    print(
        f"{THREADS:,} threads, {MEMBERS:,} members; {concurrency} connections, client"
        f" {client_name()}, up to {requests} requests or {duration:g} s per page and round",
        flush=True,
    )
    tag = secrets.token_hex(3)
    with bench_site("community_page") as site:
        slug, member_id = create_community(tag)
        counts = query_counts(slug, member_id)
        session_key = log_in(member_id)
        base = site.url
        zone = f"{settings.TIMEZONE_COOKIE_NAME}=Africa/Nairobi"
        visitor = {"Cookie": zone}
        member = {"Cookie": f"{zone}; {settings.SESSION_COOKIE_NAME}={session_key}"}
        targets = [
            ("ceiling", f"{base}/bench/ceiling/", {}, "Ceiling"),
            ("visitor", f"{base}/communities/{slug}/", visitor, "Discussion 0:"),
            ("member", f"{base}/communities/{slug}/", member, "Mute notifications"),
            ("deep", f"{base}/communities/{slug}/?page=150", visitor, "Discussion 4470:"),
        ]
        for _name, url, headers, expected in targets:
            check_page(url, headers, expected)
        median = measure_rounds(
            targets,
            rounds=rounds,
            server_pid=site.web_pid,
            concurrency=concurrency,
            requests=requests,
            duration=duration,
        )
    print(
        "queries per page: "
        + ", ".join(f"{name} {count}" for name, count in counts.items())
        + " (the same whatever the number of threads and members)",
        flush=True,
    )
    slowest = min(median[name].rps for name in ("visitor", "member", "deep"))
    ratio = rate_ratio(slowest, median["ceiling"].rps)
    return summary_line("community_page", slowest, "req/s", ratio)


def main(argv: list[str] | None = None) -> None:
    page_bench_main(
        run, argv, prog="python -m bench.community_page", doc=__doc__, requests=2000, duration=8.0
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit("community_page: interrupted") from None

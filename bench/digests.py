"""Digests: one weekly pass for 10,000 members with a week of activity.

    python -m bench.digests [--members N]

The pass builds, renders and hands every digest to a local-memory email backend —
the same code the beat task runs. The ceiling renders the same templates from
contexts computed beforehand (no queries, no rows written): what is left is the
pass's own cost of reading, deciding and writing exactly-once rows.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.digests")

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta

from bench.harness import bench_database, rate_ratio, summary_line

COMMUNITIES = 50  # members are spread over them as organizations until communities land
PASS_AT = datetime(2027, 3, 1, 8, 5, tzinfo=UTC)  # a Monday, 08:05 UTC


def deliver_in_memory() -> None:
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from config.celery import app

    app.conf.task_always_eager = True  # delivery runs in the pass, into local memory


def create_data(members: int) -> None:
    from django.contrib.auth.hashers import make_password

    from members.models import Member, Organization
    from notifications.models import DeliverySettings, Notification, NotificationPreference
    from webinars.models import Registration, Session, Webinar

    groups = Organization.objects.bulk_create(
        Organization(slug=f"community-{i}", name=f"Community {i}") for i in range(COMMUNITIES)
    )
    password = make_password("bench-digests")
    Member.objects.bulk_create(
        (
            Member(
                email=f"m{i:05d}@bench.example",
                full_name=f"Member {i:05d}",
                password=password,
                organization=groups[i % COMMUNITIES],
                time_zone="UTC",
                language=("en", "es", "fr")[i % 3],
            )
            for i in range(members)
        ),
        batch_size=2000,
    )
    ids = list(Member.objects.values_list("pk", flat=True))
    DeliverySettings.objects.bulk_create(
        (DeliverySettings(member_id=pk, digest_hour=8, weekly_day=0) for pk in ids), batch_size=2000
    )
    NotificationPreference.objects.bulk_create(
        (
            NotificationPreference(member_id=pk, category=category, channel="weekly")
            for pk in ids
            for category in ("communities.reply", "webinars.reminder")
        ),
        batch_size=4000,
    )
    week_ago = PASS_AT - timedelta(days=6)
    Notification.objects.bulk_create(
        (
            Notification(
                recipient_id=pk,
                kind="communities.reply",
                title=f"New reply in Community {pk % COMMUNITIES}",
                url=f"/communities/c{pk % COMMUNITIES}/threads/{n}/",
                target=f"communities.thread:{n}",
                created_at=week_ago + timedelta(hours=n),
            )
            for pk in ids
            for n in range(5)
        ),
        batch_size=5000,
    )
    webinar = Webinar.objects.create(
        slug="bench", title="Cash transfers in the Sahel", status="published"
    )
    session = Session.objects.create(webinar=webinar, starts_at=PASS_AT + timedelta(days=3))
    Registration.objects.bulk_create(
        (
            Registration(
                webinar=webinar,
                session=session,
                member_id=pk,
                email=f"r{pk}@bench.example",
                full_name="R",
                status="confirmed",
                created_at=week_ago,
                status_changed_at=week_ago,
            )
            for pk in ids[::4]
        ),
        batch_size=5000,
    )


def ceiling_contexts():
    """What the pass will send, computed outside the timer."""
    from members.models import Member
    from notifications import digests
    from notifications.preferences import channels_for_members

    members = list(Member.objects.order_by("pk"))
    matrix = channels_for_members([m.pk for m in members])
    period = PASS_AT.date()
    due = [(m, "weekly", period) for m in members]
    contents = {}
    for start in range(0, len(due), digests.BATCH_SIZE):
        chunk = due[start : start + digests.BATCH_SIZE]
        contents.update(digests._contents(chunk, matrix, PASS_AT))
    return [(m, contents[(m.pk, "weekly")]) for m, _k, _p in due]


def render_all(prepared) -> float:
    from django.core import mail

    from notifications.digests import render_digest

    mail.outbox = []
    started = time.perf_counter()
    for member, content in prepared:
        if not content.is_empty():
            render_digest(member, "weekly", PASS_AT.date(), content).send()
    return time.perf_counter() - started


def run_pass() -> tuple[float, int, object]:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.digests import digests_send

    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = digests_send(at=PASS_AT)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries.captured_queries), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.digests", description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args(argv)
    with bench_database("digests"):
        deliver_in_memory()
        started = time.perf_counter()
        create_data(args.members)
        print(
            f"{args.members} members, {COMMUNITIES} groups, a week of activity "
            f"(created in {time.perf_counter() - started:.1f} s)"
        )
        prepared = ceiling_contexts()
        ceiling_seconds = render_all(prepared)
        sendable = sum(1 for _m, c in prepared if not c.is_empty())
        from django.core import mail

        elapsed, queries, result = run_pass()
        sent = len(mail.outbox)
        if result.sent != sendable or sent != sendable:
            print(f"wrong: pass queued {result.sent}, sent {sent}, expected {sendable}")
            return 1
        again = run_pass()[2]
        rate, ceiling_rate = sent / elapsed, sendable / ceiling_seconds
        print(
            f"weekly pass: {sent} digests in {elapsed:.2f} s, {queries} queries "
            f"({result.batches} batches of up to 500), second pass sent {again.sent}"
        )
        print(f"ceiling (render + send from precomputed contexts): {ceiling_rate:.0f} digests/s")
    print(summary_line("digests", rate, "digests/s", rate_ratio(rate, ceiling_rate)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

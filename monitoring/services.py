"""Rollups and retention: raw events become daily counts; raw events and salts go."""

from __future__ import annotations

import re
import secrets
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Count, Q

from core.clock import now
from monitoring import recording
from monitoring.models import (
    DailyCount,
    DailyRollup,
    DailySalt,
    ExportJob,
    UsageEvent,
    UsageKind,
)

EXPORT_PROGRESS_EVERY = 5000

# (kind, dimension, the raw event's field): each a GROUP BY over one day's events.
BREAKDOWNS: list[tuple[str, str, str]] = [
    (UsageKind.PAGE_VIEW, "path", "path"),
    (UsageKind.PAGE_VIEW, "referrer", "referrer_host"),
    (UsageKind.PAGE_VIEW, "country", "country"),
    (UsageKind.PAGE_VIEW, "language", "language"),
    (UsageKind.PAGE_VIEW, "device", "device"),
    (UsageKind.SEARCH, "query", "query"),
]
TARGETED = (UsageKind.DOWNLOAD, UsageKind.JOIN)


def day_end(day: date) -> datetime:
    """The instant a UTC day is over."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def raw_cutoff(today: date | None = None) -> date:
    """The first day whose raw events are still kept."""
    today = today or now().date()
    return today - timedelta(days=settings.USAGE_RAW_RETENTION_DAYS)


def target_organizations(targets: set[str]) -> dict[str, set[int]]:
    """Whose content each reported target is (`webinar:<slug>`,
    `library.publication:<id>`): their organizations, one query per kind of target. The
    library is read only if it has its publications yet (it is being built beside this)."""
    from django.apps import apps

    owners: dict[str, set[int]] = {}
    slugs = {t.split(":", 1)[1] for t in targets if t.startswith("webinar:")}
    if slugs:
        from webinars.models import Webinar

        pairs = Webinar.objects.filter(slug__in=slugs, organizations__isnull=False)
        for slug, organization_id in pairs.values_list("slug", "organizations"):
            owners.setdefault(f"webinar:{slug}", set()).add(organization_id)
    ids = {t.split(":", 1)[1] for t in targets if t.startswith("library.publication:")}
    ids = {i for i in ids if i.isdigit()}
    if ids:
        app_label, model_name = "library", "Publication"  # not there until the library is
        try:
            publication = apps.get_model(app_label, model_name)
            publication._meta.get_field("organizations")
        except (LookupError, FieldDoesNotExist):
            return owners
        pairs = publication.objects.filter(pk__in=ids, organizations__isnull=False)
        for pk, organization_id in pairs.values_list("pk", "organizations"):
            owners.setdefault(f"library.publication:{pk}", set()).add(organization_id)
    return owners


CONTENT_PATH = re.compile(r"^/(webinars|communities)/([^/]+)/")
PAGE_DIMENSIONS = (
    ("path", 0),
    ("referrer", 1),
    ("country", 2),
    ("language", 3),
    ("device", 4),
)


def path_organizations(paths: set[str]) -> dict[str, set[int]]:
    """Whose content each page is: a webinar's pages belong to its organizations, a
    community's to its owner. Two queries."""
    from communities.models import Community
    from webinars.models import Webinar

    slugs: dict[str, set[str]] = {"webinars": set(), "communities": set()}
    for path in paths:
        if match := CONTENT_PATH.match(path):
            slugs[match[1]].add(match[2])
    owners: dict[tuple[str, str], set[int]] = {}
    if slugs["webinars"]:
        pairs = Webinar.objects.filter(slug__in=slugs["webinars"], organizations__isnull=False)
        for slug, organization_id in pairs.values_list("slug", "organizations"):
            owners.setdefault(("webinars", slug), set()).add(organization_id)
    if slugs["communities"]:
        owned = Community.objects.filter(slug__in=slugs["communities"])
        for slug, organization_id in owned.values_list("slug", "organization_id"):
            owners.setdefault(("communities", slug), set()).add(organization_id)
    found: dict[str, set[int]] = {}
    for path in paths:
        if (match := CONTENT_PATH.match(path)) and (match[1], match[2]) in owners:
            found[path] = owners[(match[1], match[2])]
    return found


def _organization_page_views(day: date, events) -> list[DailyCount]:
    """The day's page views of each organization's content, with the same breakdowns
    (and exact unique visitors) as the platform's: one pass over the day's page views."""
    page_views = events.filter(kind=UsageKind.PAGE_VIEW).filter(
        Q(path__startswith="/webinars/") | Q(path__startswith="/communities/")
    )
    fields = ("path", "referrer_host", "country", "language", "device", "visitor")
    seen = list(page_views.values_list(*fields))
    owners = path_organizations({row[0] for row in seen})
    counts: dict[tuple[int, str, str], int] = {}
    people: dict[tuple[int, str, str], set[str]] = {}
    for row in seen:
        for organization_id in owners.get(row[0], ()):
            keys = [(organization_id, "total", "")]
            keys += [(organization_id, name, row[i]) for name, i in PAGE_DIMENSIONS if row[i]]
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
                people.setdefault(key, set()).add(row[5])
    return [
        DailyCount(
            day=day,
            kind=UsageKind.PAGE_VIEW,
            dimension=dimension,
            value=value,
            organization_id=organization_id,
            count=count,
            visitors=len(people[(organization_id, dimension, value)]),
        )
        for (organization_id, dimension, value), count in counts.items()
    ]


def usage_rollup_day(*, day: date) -> int:
    """Replace `day`'s daily counts with what its raw events say (run twice, same rows).
    A day whose raw events are past retention keeps the counts it has. Returns the number
    of events rolled up."""
    if day < raw_cutoff() and DailyRollup.objects.filter(day=day).exists():
        return 0
    events = UsageEvent.objects.filter(day=day)
    visitors = Count("visitor", distinct=True)
    rows: list[DailyCount] = []
    totals = events.values("kind").annotate(n=Count("id"), v=visitors)
    for total in totals:
        rows.append(
            DailyCount(
                day=day,
                kind=total["kind"],
                dimension="total",
                count=total["n"],
                visitors=total["v"],
            )
        )
    for kind, dimension, field in BREAKDOWNS:
        grouped = (
            events.filter(kind=kind)
            .exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"), v=visitors)
        )
        rows += [
            DailyCount(
                day=day,
                kind=kind,
                dimension=dimension,
                value=row[field],
                count=row["n"],
                visitors=row["v"],
            )
            for row in grouped
        ]
    no_results = (
        events.filter(kind=UsageKind.SEARCH, results=0)
        .exclude(query="")
        .values("query")
        .annotate(n=Count("id"), v=visitors)
    )
    rows += [
        DailyCount(
            day=day,
            kind=UsageKind.SEARCH,
            dimension="no_results",
            value=row["query"],
            count=row["n"],
            visitors=row["v"],
        )
        for row in no_results
    ]
    targeted_rows = (
        events.filter(kind__in=TARGETED)
        .values("kind", "target", "organization_id")
        .annotate(n=Count("id"), v=visitors)
    )
    targeted = list(targeted_rows)
    owners = target_organizations({row["target"] for row in targeted})
    by_target: dict[tuple[str, str, int], list[int]] = {}
    by_organization: dict[tuple[str, int], list[int]] = {}
    for row in targeted:
        organizations = {0, row["organization_id"], *owners.get(row["target"], ())}
        for organization_id in organizations:
            entry = by_target.setdefault((row["kind"], row["target"], organization_id), [0, 0])
            entry[0] += row["n"]
            entry[1] += row["v"]
            if organization_id:
                own = by_organization.setdefault((row["kind"], organization_id), [0, 0])
                own[0] += row["n"]
                own[1] += row["v"]
    rows += [
        DailyCount(
            day=day,
            kind=kind,
            dimension="target",
            value=target,
            organization_id=organization_id,
            count=count,
            visitors=people,
        )
        for (kind, target, organization_id), (count, people) in by_target.items()
    ]
    rows += [
        DailyCount(
            day=day,
            kind=kind,
            dimension="total",
            organization_id=organization_id,
            count=count,
            visitors=people,
        )
        for (kind, organization_id), (count, people) in by_organization.items()
    ]
    rows += _organization_page_views(day, events)
    event_count = sum(total["n"] for total in totals)
    with transaction.atomic():
        DailyCount.objects.filter(day=day).delete()
        DailyCount.objects.bulk_create(rows, batch_size=1000)
        DailyRollup.objects.update_or_create(
            day=day, defaults={"rolled_at": now(), "events": event_count}
        )
    return event_count


def usage_rollup_pending(*, today: date | None = None) -> list[date]:
    """Roll up every finished day with raw events and no rollup since it ended, and
    yesterday again (late batches); then forget salts of finished days. Beat runs it."""
    today = today or now().date()
    recording.flush()
    rolled = dict(DailyRollup.objects.values_list("day", "rolled_at"))
    days = set(UsageEvent.objects.filter(day__lt=today).values_list("day", flat=True).distinct())
    pending = sorted(
        day
        for day in days
        if day not in rolled  # never rolled up, or only before it was over:
        or rolled[day] < day_end(day) + timedelta(seconds=settings.USAGE_FLUSH_SECONDS)
        or day == today - timedelta(days=1)
    )
    for day in pending:
        usage_rollup_day(day=day)
    usage_salts_forget(today=today)
    return pending


def usage_salts_forget(*, today: date | None = None) -> int:
    """A finished day's salt is deleted: its visitor hashes can no longer be recomputed."""
    today = today or now().date()
    deleted, _ = DailySalt.objects.filter(day__lt=today).delete()
    recording.forget_salts()
    return deleted


def usage_purge_raw(*, today: date | None = None) -> int:
    """Delete raw events past retention, once their day is rolled up."""
    cutoff = raw_cutoff(today)
    rolled = DailyRollup.objects.filter(day__lt=cutoff).values_list("day", flat=True)
    deleted, _ = UsageEvent.objects.filter(Q(day__lt=cutoff) & Q(day__in=rolled)).delete()
    return deleted


# --- large exports ----------------------------------------------------------------------


def export_job_create(*, requested_by: Any, dataset: str, filters: dict[str, Any]) -> ExportJob:
    """Queue a large export for the worker (after commit)."""
    from monitoring.exports import DATASETS
    from monitoring.tasks import export_build

    if not getattr(requested_by, "is_platform_staff", False):
        raise PermissionDenied
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    job = ExportJob.objects.create(
        requested_by=requested_by, dataset=dataset, filters=filters, created_at=now()
    )
    transaction.on_commit(lambda: export_build.delay(job.pk))
    return job


EXPORT_KEEP_DAYS = 7


def export_jobs_purge(*, at: datetime | None = None) -> int:
    """Exports (personal data in files) are deleted a week after they were asked for."""
    before = (at or now()) - timedelta(days=EXPORT_KEEP_DAYS)
    old = list(ExportJob.objects.filter(created_at__lt=before))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)


def export_job_build(*, job_id: int) -> str:
    """Write the job's CSV to storage, counting rows as it goes. Run again (a worker
    restarted), a finished job is left alone and an unfinished one starts afresh."""
    from django.core.files.base import ContentFile

    from core.csv_export import csv_rows
    from monitoring.exports import DATASETS, ExportFilter, export_count, export_rows, with_progress

    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.READY:
        return "done before"
    dataset = DATASETS[job.dataset]
    filters = ExportFilter.from_json(job.filters)
    total = export_count(dataset, filters)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, rows_total=total, rows_done=0
    )

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    rows = with_progress(export_rows(dataset, filters), progress, every=EXPORT_PROGRESS_EVERY)
    try:
        with tempfile.TemporaryFile("w+b") as spool:
            for line in csv_rows(dataset.columns(filters), rows):
                spool.write(line.encode("utf-8"))
            spool.seek(0)
            name = f"{job.dataset}-{job.pk}-{secrets.token_urlsafe(8)}.csv"
            job.file.save(name, ContentFile(spool.read()), save=False)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)
        raise error
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.READY, file=job.file.name, finished_at=now()
    )
    return "ready"

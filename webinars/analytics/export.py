"""The registrant CSV downloads, built by one function.

- `registrant_cells` turns one registration into the cells every download shares (the
  same column name means the same text in every file).
- The organizers' registrants list (``registrants.csv``) writes REGISTRANT_COLUMNS of
  them, plus the registration questions' answers.
- The attendance export (``attendance.csv``, and the dashboards' ``export.csv``) writes
  EXPORT_HEADER: the webinar, the same registrant cells, both kinds of evidence of
  attending, and the walk-ins after the registrants.

Both stream: the rows are read in chunks, never all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import QuerySet

from webinars.analytics.scope import Scope, scoped
from webinars.models import Attendance, Registration, Session, Webinar
from webinars.permissions import require_manager

CHUNK = 2000


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


class RegistrantCells(NamedTuple):
    """One registration as the CSV downloads write it."""

    session: str | int  # its label, or its id when it has none
    session_start_utc: str
    email: str
    full_name: str
    organization_name: str
    country: str
    language: str
    time_zone: str
    status: str
    registered_at_utc: str
    source: str
    join_link_clicked_at_utc: str
    answers: str  # "question: answer; …"


def registrant_cells(registration: Registration) -> RegistrantCells:
    """The one builder of a registrant's cells (its session must be fetched with it)."""
    r = registration
    return RegistrantCells(
        session=r.session.title or r.session_id,
        session_start_utc=_iso(r.session.starts_at),
        email=r.email,
        full_name=r.full_name,
        organization_name=r.organization_name,
        country=str(r.country) if r.country else "",
        language=r.language,
        time_zone=r.time_zone,
        status=r.status,
        registered_at_utc=_iso(r.created_at),
        source=r.source,
        join_link_clicked_at_utc=_iso(r.join_first_clicked_at),
        answers="; ".join(f"{k}: {v}" for k, v in (r.answers or {}).items()),
    )


# --- the registrants list ---------------------------------------------------------------

REGISTRANT_COLUMNS: list[str] = [
    "email",
    "full_name",
    "organization_name",
    "country",
    "language",
    "time_zone",
    "status",
    "session",
    "session_start_utc",
    "registered_at_utc",
    "source",
    "answers",
]


def registrant_rows(registrations: QuerySet[Registration]) -> Iterator[list[Any]]:
    """REGISTRANT_COLUMNS of each registration, in the queryset's order."""
    for registration in registrations.select_related("session").iterator(chunk_size=CHUNK):
        cells = registrant_cells(registration)
        yield [getattr(cells, column) for column in REGISTRANT_COLUMNS]


# --- the attendance export --------------------------------------------------------------


class AttendanceExportRow(NamedTuple):
    """One line of the attendance export: a registrant or a walk-in."""

    webinar: str
    session: str | int
    session_start_utc: str
    kind: str  # "registrant" | "walk-in"
    email: str
    full_name: str
    organization_name: str
    country: str
    language: str
    time_zone: str
    status: str
    registered_at_utc: str
    source: str
    join_link_clicked_at_utc: str
    attended: str  # "yes" | "no": in a report, or clicked the join link
    report_session: str | int
    report_first_join_utc: str
    report_last_leave_utc: str
    report_minutes: int | str


EXPORT_HEADER: list[str] = list(AttendanceExportRow._fields)


def attendance_export(
    *,
    viewer: Any,
    webinar: Webinar | None = None,
    session: Session | None = None,
    scope: Scope | None = None,
) -> Iterator[AttendanceExportRow]:
    """Registrants and walk-ins with both kinds of evidence, row by row. One webinar
    (optionally one session) for its organizers, or a dashboard scope from
    `dashboard_scope` (which checks who may see it)."""
    if webinar is not None:
        require_manager(viewer, webinar)
        registrations = Registration.objects.filter(webinar=webinar)
        walk_ins = Attendance.objects.filter(webinar=webinar, registration__isnull=True)
        if session is not None:
            registrations = registrations.filter(session=session)
            walk_ins = walk_ins.filter(session=session)
    elif scope is not None:
        registrations = scoped(Registration.objects.all(), scope)
        walk_ins = scoped(Attendance.objects.filter(registration__isnull=True), scope)
    else:
        raise ValueError("a webinar or a scope")
    return _export_rows(registrations, walk_ins)


def _export_rows(
    registrations: QuerySet[Registration], walk_ins: QuerySet[Attendance]
) -> Iterator[AttendanceExportRow]:
    registrations = registrations.select_related(
        "webinar", "session", "attendance", "attendance__session"
    ).order_by("webinar_id", "session_id", "created_at", "id")
    for r in registrations.iterator(chunk_size=CHUNK):
        cells = registrant_cells(r)
        report: Attendance | None = getattr(r, "attendance", None)
        yield AttendanceExportRow(
            webinar=r.webinar.slug,
            session=cells.session,
            session_start_utc=cells.session_start_utc,
            kind="registrant",
            email=cells.email,
            full_name=cells.full_name,
            organization_name=cells.organization_name,
            country=cells.country,
            language=cells.language,
            time_zone=cells.time_zone,
            status=cells.status,
            registered_at_utc=cells.registered_at_utc,
            source=cells.source,
            join_link_clicked_at_utc=cells.join_link_clicked_at_utc,
            attended="yes" if (report is not None or r.join_first_clicked_at) else "no",
            report_session=(report.session.title or report.session_id) if report else "",
            report_first_join_utc=_iso(report.first_join) if report else "",
            report_last_leave_utc=_iso(report.last_leave) if report else "",
            report_minutes=report.minutes if report else "",
        )
    walk_ins = walk_ins.select_related("webinar", "session").order_by(
        "webinar_id", "session_id", "id"
    )
    for a in walk_ins.iterator(chunk_size=CHUNK):
        yield AttendanceExportRow(
            webinar=a.webinar.slug,
            session=a.session.title or a.session_id,
            session_start_utc=_iso(a.session.starts_at),
            kind="walk-in",
            email=a.email,
            full_name=a.name,
            organization_name="",
            country="",
            language="",
            time_zone="",
            status="",
            registered_at_utc="",
            source="",
            join_link_clicked_at_utc="",
            attended="yes",
            report_session=a.session.title or a.session_id,
            report_first_join_utc=_iso(a.first_join),
            report_last_leave_utc=_iso(a.last_leave),
            report_minutes=a.minutes,
        )

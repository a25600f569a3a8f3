"""Importing a platform report into a session: preview first, then apply — once, atomically.

`attendance_import_preview` reads the file (refusing one that is not a report), matches
people to registrations and stores the bytes with the outcome, so applying needs no second
upload. `attendance_import_apply` writes everything in one transaction under the webinar's
row lock: new people are created, people already recorded for the session (from another
file) get their stays merged. The same file (by SHA-256) is imported into a session once;
a second apply, or a second upload of an applied file, changes nothing and says so.

Rows the importer could not read block the import unless the organizer chooses to skip
them (`skip_unreadable=True`): nothing is ever half-written, nobody is silently lost.

`actor=None` is the command line (trusted); any other actor must manage the webinar.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import sql
from core.clock import now
from core.fields import model_field
from core.zones import validate_zone
from webinars.attendance.detection import read_report
from webinars.attendance.formats.base import ParsedReport
from webinars.attendance.merging import Person, fold, merge_intervals, merge_rows
from webinars.models import Attendance, AttendanceImport, Registration, Session, Webinar
from webinars.permissions import require_manager

STALE_PREVIEWS = timedelta(days=7)


@dataclass
class Preview:
    """What applying the file would do; `summary()` is the command's JSON contract."""

    session: Session
    report: ParsedReport
    people: list[Person]
    registration_of: dict[str, int] = field(default_factory=dict)  # person key → registration
    counted_elsewhere: set[str] = field(default_factory=set)  # registrant of another session
    warnings: list[str] = field(default_factory=list)

    @property
    def matched(self) -> list[Person]:
        return [p for p in self.people if p.key in self.registration_of]

    @property
    def walk_ins(self) -> list[Person]:
        return [p for p in self.people if p.key not in self.registration_of]

    def summary(self) -> dict:
        matched = len(self.registration_of)
        return {
            "format": self.report.format,
            "rows": self.report.read,
            "matched": matched,
            "walk_ins": len(self.people) - matched,
            "attendees": len(self.people),
            "errors": [error.as_dict() for error in self.report.errors],
        }


@dataclass
class ImportOutcome:
    attendance_import: AttendanceImport
    summary: dict
    applied: bool  # False: this file had been applied before; nothing changed
    created: int = 0
    updated: int = 0


class ImportBlocked(ValidationError):
    """Rows could not be read and the organizer did not choose to skip them."""

    def __init__(self, message, *, summary: dict):
        super().__init__(message)
        self.summary = summary


def preview_report(*, session: Session, content: bytes, zone: str) -> Preview:
    """Parse, merge and match; two queries. Raises ReportError for a file that is no report."""
    report = read_report(content, zone=zone)
    people = merge_rows(report.rows)
    emails = {
        email.casefold(): pk
        for pk, email in Registration.objects.filter(webinar_id=session.webinar_id).values_list(
            "pk", "email"
        )
    }
    elsewhere = set(
        Attendance.objects.filter(webinar_id=session.webinar_id, registration__isnull=False)
        .exclude(session=session)
        .values_list("registration_id", flat=True)
    )
    recorded = _recorded_by_name(session, people)
    preview = Preview(session=session, report=report, people=people)
    for person in people:
        person.minutes_capped = person.minutes(session.duration_minutes)
        if person.key in recorded:  # a name-only row of someone recorded with an email
            person.key, person.email, known = recorded[person.key]
            if known is not None:
                preview.registration_of[person.key] = known
                continue
        registration = emails.get(person.email.casefold()) if person.email else None
        if registration is None:
            continue
        if registration in elsewhere:
            preview.counted_elsewhere.add(person.key)
        else:
            preview.registration_of[person.key] = registration
    preview.warnings = _warnings(session, preview)
    return preview


def _recorded_by_name(session: Session, people: list[Person]) -> dict[str, tuple]:
    """Name-only people of this file → (key, email, registration) of the one person already
    recorded in the session under that name with an email (a guest rejoin, a phone call)."""
    if not any(p.key.startswith("name:") for p in people):
        return {}
    owners: dict[str, list[tuple]] = defaultdict(list)
    for key, name, email, registration in Attendance.objects.filter(
        session=session, person_key__startswith="email:"
    ).values_list("person_key", "name", "email", "registration_id"):
        owners[fold(name)].append((key, email, registration))
    in_file = {p.key for p in people}
    found = {}
    for person in people:
        candidates = owners.get(fold(person.name), [])
        if person.key.startswith("name:") and len(candidates) == 1:
            if candidates[0][0] not in in_file:
                found[person.key] = candidates[0]
    return found


def _warnings(session: Session, preview: Preview) -> list[str]:
    warnings = []
    joins = [p.first_join for p in preview.people if p.first_join is not None]
    if joins:
        early, late = session.starts_at - timedelta(hours=3), session.ends_at + timedelta(hours=3)
        outside = sum(1 for at in joins if not early <= at <= late)
        if outside * 2 > len(joins):
            offset = statistics.median((at - session.starts_at).total_seconds() for at in joins)
            warnings.append(
                _(
                    "Most join times fall outside this session's scheduled time (about "
                    "%(hours)+.1f hours from its start). Is this the right session, and was "
                    "the report exported in the time zone chosen?"
                )
                % {"hours": offset / 3600}
            )
    if preview.counted_elsewhere:
        count = len(preview.counted_elsewhere)
        warnings.append(
            ngettext(
                "%(count)d registrant was already counted in another session of this "
                "webinar; here they are listed as a walk-in.",
                "%(count)d registrants were already counted in another session of this "
                "webinar; here they are listed as walk-ins.",
                count,
            )
            % {"count": count}
        )
    return warnings


def attendance_import_preview(
    *,
    session: Session,
    actor,
    content: bytes,
    filename: str = "",
    zone: str | None = None,
) -> tuple[AttendanceImport, Preview]:
    """Read the file and keep it for applying. An applied file comes back as it is."""
    if actor is not None:
        require_manager(actor, session.webinar)
    zone = zone or session.host_zone
    validate_zone(zone)
    preview = preview_report(session=session, content=content, zone=zone)
    sha = hashlib.sha256(content).hexdigest()
    at = now()
    fields = {
        "uploaded_by": actor,
        "filename": (filename or "")[-255:],
        "source_zone": zone,
        "format": preview.report.format,
        "summary": preview.summary(),
        "created_at": at,
    }
    with transaction.atomic():
        AttendanceImport.objects.filter(
            session__webinar_id=session.webinar_id,
            status=AttendanceImport.Status.PREVIEWED,
            created_at__lt=at - STALE_PREVIEWS,
        ).delete()
        existing = (
            AttendanceImport.objects.select_for_update()
            .filter(session=session, sha256=sha)
            .defer("content")
            .first()
        )
        if existing is not None and existing.status == AttendanceImport.Status.APPLIED:
            return existing, preview
        if existing is not None:
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.save()
            return existing, preview
        try:
            with transaction.atomic():
                created = AttendanceImport.objects.create(
                    session=session, sha256=sha, content=content, **fields
                )
        except IntegrityError:  # the same file previewed at the same instant
            created = AttendanceImport.objects.get(session=session, sha256=sha)
    return created, preview


def attendance_import_rezone(
    *, attendance_import: AttendanceImport, actor, zone: str
) -> tuple[AttendanceImport, Preview]:
    """Read a previewed file again in another zone (the organizer corrects the zone)."""
    session = attendance_import.session
    return attendance_import_preview(
        session=session,
        actor=actor,
        content=bytes(attendance_import.content),
        filename=attendance_import.filename,
        zone=zone,
    )


def attendance_import_apply(
    *, attendance_import: AttendanceImport, actor, skip_unreadable: bool = False
) -> ImportOutcome:
    """Apply a previewed file: read again under the webinar's lock (registrations may have
    changed since the preview) and write it all in one transaction."""
    session = Session.objects.select_related("webinar").get(pk=attendance_import.session_id)
    if actor is not None:
        require_manager(actor, session.webinar)
    with transaction.atomic():
        Webinar.objects.select_for_update().filter(pk=session.webinar_id).first()
        record = AttendanceImport.objects.select_for_update().get(pk=attendance_import.pk)
        if record.status == AttendanceImport.Status.APPLIED:
            return ImportOutcome(record, record.summary, applied=False)
        preview = preview_report(
            session=session, content=bytes(record.content), zone=record.source_zone
        )
        return _apply(record, session, preview, skip_unreadable=skip_unreadable)


def _apply(
    record: AttendanceImport, session: Session, preview: Preview, *, skip_unreadable: bool
) -> ImportOutcome:
    """Write a preview (the webinar's row is locked by the caller's transaction)."""
    summary = preview.summary()
    if preview.report.errors and not skip_unreadable:
        count = len(preview.report.errors)
        raise ImportBlocked(
            ngettext(
                "%(count)d row could not be read. Nothing was imported. Line %(line)d: "
                "%(reason)s Fix the file, or choose to skip the unreadable row.",
                "%(count)d rows could not be read. Nothing was imported. The first, line "
                "%(line)d: %(reason)s Fix the file, or choose to skip the unreadable rows.",
                count,
            )
            % {
                "count": count,
                "line": preview.report.errors[0].line,
                "reason": preview.report.errors[0].reason,
            },
            summary=summary,
        )
    created, updated = _write(session, preview, record)
    record.status = AttendanceImport.Status.APPLIED
    record.applied_at = now()
    record.summary = summary
    record.save(update_fields=["status", "applied_at", "summary"])
    return ImportOutcome(record, summary, applied=True, created=created, updated=updated)


def attendance_import_file(
    *,
    session: Session,
    actor,
    content: bytes,
    filename: str = "",
    zone: str | None = None,
    skip_unreadable: bool = False,
) -> ImportOutcome:
    """Preview and apply in one transaction (the command line): a refused file leaves
    not even its preview behind; a file imported before is recognised by its hash
    before it is read."""
    if actor is not None:
        require_manager(actor, session.webinar)
    done = (
        AttendanceImport.objects.filter(
            session=session,
            sha256=hashlib.sha256(content).hexdigest(),
            status=AttendanceImport.Status.APPLIED,
        )
        .defer("content")
        .first()
    )
    if done is not None:
        return ImportOutcome(done, done.summary, applied=False)
    with transaction.atomic():
        Webinar.objects.select_for_update().filter(pk=session.webinar_id).first()
        record, preview = attendance_import_preview(
            session=session, actor=actor, content=content, filename=filename, zone=zone
        )
        if record.status == AttendanceImport.Status.APPLIED:  # applied meanwhile
            return ImportOutcome(record, record.summary, applied=False)
        return _apply(record, session, preview, skip_unreadable=skip_unreadable)


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def stays(attendance: Attendance) -> list[tuple[datetime, datetime]]:
    return [(_from_iso(start), _from_iso(end)) for start, end in attendance.intervals or []]


INSERTED = [
    "session",
    "webinar",
    "registration",
    "person_key",
    "name",
    "email",
    "first_join",
    "last_leave",
    "intervals",
    "reported_minutes",
    "minutes",
    "guest",
    "country_name",
    "last_import",
    "created_at",
    "updated_at",
]


def _write(session: Session, preview: Preview, record: AttendanceImport) -> tuple[int, int]:
    at = now()
    cap = session.duration_minutes
    existing = {a.person_key: a for a in Attendance.objects.filter(session=session)}
    create: list[list] = []
    update: list[Attendance] = []
    for person in preview.people:
        registration_id = preview.registration_of.get(person.key)
        row = existing.get(person.key)
        if row is None:
            create.append(
                [
                    session.pk,
                    session.webinar_id,
                    registration_id,
                    person.key,
                    person.name[:200],
                    person.email[:254],
                    person.first_join,
                    person.last_leave,
                    [[_iso(s), _iso(e)] for s, e in person.intervals],
                    int(round(person.reported_minutes)),
                    person.minutes_capped,
                    person.guest,
                    person.country[:100],
                    record.pk,
                    at,
                    at,
                ]
            )
            continue
        if _merge_into(row, person, registration_id, cap):
            row.last_import = record
            row.updated_at = at
            update.append(row)
    _insert(create)
    Attendance.objects.bulk_update(
        update,
        [
            "registration",
            "name",
            "email",
            "first_join",
            "last_leave",
            "intervals",
            "reported_minutes",
            "minutes",
            "guest",
            "country_name",
            "last_import",
            "updated_at",
        ],
        batch_size=500,
    )
    return len(create), len(update)


def _insert(rows: list[list]) -> None:
    """Write the new people in one go: COPY on PostgreSQL, one prepared INSERT run for
    every row elsewhere.

    `bulk_create` spent three quarters of a 50,000-row import building model instances
    and preparing each of their values (`bench/attendance_import.py`). The constraints
    (one row per person per session, one per registration) hold in the database either way.
    """
    if not rows:
        return
    columns = ", ".join(sql.column(Attendance, name) for name in INSERTED)
    table = sql.table(Attendance)
    if connection.vendor == "postgresql":
        for row in rows:
            row[8] = json.dumps(row[8])
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    intervals = model_field(Attendance, "intervals")  # row[8]
    adapted: dict = {}
    for row in rows:
        for index in (6, 7, 14, 15):  # the instants, each distinct one adapted once
            value = row[index]
            if value is not None:
                if value not in adapted:
                    adapted[value] = connection.ops.adapt_datetimefield_value(value)
                row[index] = adapted[value]
        row[8] = intervals.get_db_prep_save(row[8], connection)
    marks = ", ".join(["%s"] * len(INSERTED))
    with connection.cursor() as cursor:
        statement = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names
        cursor.executemany(statement, rows)


def _merge_into(row: Attendance, person: Person, registration_id: int | None, cap: int) -> bool:
    """Fold another file's evidence into a recorded person; True when anything changed."""
    before = (
        row.registration_id,
        row.name,
        row.email,
        row.first_join,
        row.last_leave,
        list(row.intervals or []),
        row.reported_minutes,
        row.minutes,
        row.guest,
        row.country_name,
    )
    merged = merge_intervals(stays(row) + person.intervals)
    row.intervals = [[_iso(s), _iso(e)] for s, e in merged]
    row.reported_minutes = max(row.reported_minutes, int(round(person.reported_minutes)))
    row.minutes = Person(key="", intervals=merged, reported_minutes=row.reported_minutes).minutes(
        cap
    )
    joins = [t for t in (row.first_join, person.first_join) if t is not None]
    leaves = [t for t in (row.last_leave, person.last_leave) if t is not None]
    row.first_join = min(joins) if joins else None
    row.last_leave = max(leaves) if leaves else None
    row.registration_id = row.registration_id or registration_id
    row.name = row.name or person.name[:200]
    row.email = row.email or person.email[:254]
    row.guest = row.guest or person.guest
    row.country_name = row.country_name or person.country[:100]
    after = (
        row.registration_id,
        row.name,
        row.email,
        row.first_join,
        row.last_leave,
        row.intervals,
        row.reported_minutes,
        row.minutes,
        row.guest,
        row.country_name,
    )
    return before != after

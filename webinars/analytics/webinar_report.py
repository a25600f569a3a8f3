"""One webinar's analytics page: its sessions, the breakdowns, retention, the registration
timeline and the no-shows — read in a fixed number of queries whatever its size."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypedDict

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from core.clock import now
from members.models import Language, Organization
from webinars.analytics.tally import (
    Row,
    Status,
    Tally,
    country_label,
    hour_label,
    local_start,
    named,
    region_label,
    registration_tally,
    rows_of,
    same_label,
    session_over,
)
from webinars.models import Attendance, Registration, Session, Webinar
from webinars.permissions import require_manager
from webinars.regions import COUNTRY_REGION

RETENTION_STEP = 5  # minutes between points of the retention curve
TIMELINE_DAYS = 60  # registrations earlier than this many days before the start are pooled
BREAKDOWN_KEYS = ("country", "region", "kind", "language", "zone", "hour")

Stay = tuple[datetime, datetime]


class RegistrationFacts(NamedTuple):
    """What the page needs of one registration (one `values_list` row)."""

    pk: int
    session_id: int
    status: str
    country: str
    language: str
    time_zone: str
    source: str
    created_at: datetime
    join_first_clicked_at: datetime | None
    organization_name: str
    member_kind: str | None  # the kind of the member's organization, if a member
    attendance_id: int | None
    attendance_minutes: int | None
    full_name: str
    email: str


REGISTRATION_COLUMNS = (
    "pk",
    "session_id",
    "status",
    "country",
    "language",
    "time_zone",
    "source",
    "created_at",
    "join_first_clicked_at",
    "organization_name",
    "member__organization__kind",
    "attendance__id",
    "attendance__minutes",
    "full_name",
    "email",
)


class AttendanceFacts(NamedTuple):
    """What the page needs of one person in a platform report."""

    session_id: int
    registration_id: int | None  # None: a walk-in
    minutes: int
    intervals: list[list[str]]  # ISO instants, [[joined, left], …]
    first_join: datetime | None
    reported_minutes: int


ATTENDANCE_COLUMNS = (
    "session_id",
    "registration_id",
    "minutes",
    "intervals",
    "first_join",
    "reported_minutes",
)


class NoShow(TypedDict):
    full_name: str
    email: str
    organization_name: str
    country: str
    session: Session


@dataclass
class SessionReport:
    session: Session
    tally: Tally
    median_minutes: int | None


@dataclass
class WebinarReport:
    webinar: Webinar
    sessions: list[SessionReport]
    tally: Tally  # the scope shown: the whole webinar or one session
    median_minutes: int | None
    scope_session: Session | None
    retention: list[tuple[int, float]]
    breakdowns: dict[str, list[Row]]
    timeline: list[tuple[int, dict[str, int]]]  # (days before, source → registrations)
    # sources by registrations, most first; "" is a registration without a ?src= source
    sources: list[str]
    no_shows: list[NoShow]
    no_show_count: int


def webinar_report(
    *, webinar: Webinar, viewer: Any, session_id: int | None = None
) -> WebinarReport:
    """Everything the webinar's analytics page shows, for the webinar or one session."""
    require_manager(viewer, webinar)
    at = now()
    sessions = list(webinar.sessions.order_by("starts_at", "id"))
    by_id = {s.pk: s for s in sessions}
    scope = by_id.get(session_id) if session_id else None
    over = {s.pk: session_over(s.status, s.starts_at, s.duration_minutes, at) for s in sessions}
    registrations = named(
        RegistrationFacts,
        Registration.objects.filter(webinar=webinar).order_by().values_list(*REGISTRATION_COLUMNS),
    )
    attendances = named(
        AttendanceFacts,
        Attendance.objects.filter(webinar=webinar).order_by().values_list(*ATTENDANCE_COLUMNS),
    )
    kinds = _organization_kinds()
    session_tallies = {s.pk: Tally() for s in sessions}
    minutes_by_session: dict[int, list[int]] = defaultdict(list)
    scoped = Tally()
    breakdowns: dict[str, defaultdict[str, Tally]] = {
        name: defaultdict(Tally) for name in BREAKDOWN_KEYS
    }
    timeline: dict[int, Counter[str]] = defaultdict(Counter)
    no_shows: list[NoShow] = []
    for r in registrations:
        sid = r.session_id
        session = by_id[sid]
        came = r.join_first_clicked_at is not None or r.attendance_id is not None
        one = registration_tally(r.status, came, over[sid])
        session_tallies[sid].add(one)
        if scope is not None and sid != scope.pk:
            continue
        scoped.add(one)
        kind = r.member_kind or kinds.get((r.organization_name or "").strip().lower(), "")
        hour, _weekday = local_start(session.starts_at, r.time_zone)
        country = r.country or ""
        keys = {
            "country": country,
            "region": COUNTRY_REGION.get(country, ""),
            "kind": kind,
            "language": r.language,
            "zone": r.time_zone,
            "hour": f"{hour:02d}",
        }
        for name, key in keys.items():
            breakdowns[name][key].add(one)
        days = max(0, (session.starts_at - r.created_at).days)
        timeline[min(days, TIMELINE_DAYS)][r.source or ""] += 1  # "": no ?src=
        if over[sid] and r.status == Status.CONFIRMED and not came:
            no_shows.append(
                NoShow(
                    full_name=r.full_name,
                    email=r.email,
                    organization_name=r.organization_name,
                    country=r.country,
                    session=session,
                )
            )
    for a in attendances:
        sid = a.session_id
        in_scope = scope is None or sid == scope.pk
        if a.registration_id is None:
            session_tallies[sid].walk_ins += 1
            if in_scope:
                scoped.walk_ins += 1
        session_tallies[sid].minutes += a.minutes
        session_tallies[sid].timed += 1
        minutes_by_session[sid].append(a.minutes)
        if in_scope:
            scoped.minutes += a.minutes
            scoped.timed += 1
    session_reports = [
        SessionReport(
            session=s,
            tally=session_tallies[s.pk],
            median_minutes=_median(minutes_by_session[s.pk]),
        )
        for s in sessions
    ]
    shown = [scope] if scope else sessions
    scoped_minutes = [m for s in shown for m in minutes_by_session[s.pk]]
    sources = [name for name, _n in _source_totals(timeline).most_common()]
    return WebinarReport(
        webinar=webinar,
        sessions=session_reports,
        tally=scoped,
        median_minutes=_median(scoped_minutes),
        scope_session=scope,
        retention=retention_curve(shown, presence(attendances)),
        breakdowns={
            "country": rows_of(breakdowns["country"], country_label),
            "region": rows_of(breakdowns["region"], region_label),
            "kind": rows_of(breakdowns["kind"], _kind_label),
            "language": rows_of(breakdowns["language"], _language_label),
            "zone": rows_of(breakdowns["zone"], same_label),
            "hour": rows_of(breakdowns["hour"], hour_label, order="key"),
        },
        timeline=sorted((days, dict(counts)) for days, counts in timeline.items()),
        sources=sources,
        no_shows=no_shows,
        no_show_count=len(no_shows),
    )


def _source_totals(timeline: dict[int, Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for counts in timeline.values():
        total.update(counts)
    return total


def _median(values: list[int]) -> int | None:
    return int(statistics.median(values) + 0.5) if values else None


def _organization_kinds() -> dict[str, str]:
    """Organization name (lower-cased) → kind, for registrants who typed their institution."""
    return dict(Organization.objects.annotate(lowered=Lower("name")).values_list("lowered", "kind"))


def _kind_label(kind: str) -> str:
    return (
        str(Organization.Kind(kind).label) if kind in Organization.Kind.values else _("Not known")
    )


def _language_label(code: str) -> str:
    return str(Language(code).label) if code in Language.values else code


def presence(attendances: Iterable[AttendanceFacts]) -> dict[int, list[list[Stay]]]:
    """Per session, each attendee's stays (a report with totals only: one stay from the
    first join, as long as the minutes reported)."""
    from webinars.attendance.services import _from_iso

    people: dict[int, list[list[Stay]]] = defaultdict(list)
    for a in attendances:
        if a.intervals:
            people[a.session_id].append([(_from_iso(x), _from_iso(y)) for x, y in a.intervals])
        elif a.first_join is not None:
            length = timedelta(minutes=a.reported_minutes or a.minutes)
            people[a.session_id].append([(a.first_join, a.first_join + length)])
    return people


def retention_curve(
    sessions: list[Session], presence: dict[int, list[list[Stay]]]
) -> list[tuple[int, float]]:
    """Share of a session's attendees present at each point (every RETENTION_STEP minutes);
    several sessions: each attendee measured from their own session's start."""
    if not sessions:
        return []
    length = max(s.duration_minutes for s in sessions)
    points = list(range(0, length + 1, RETENTION_STEP))
    if points[-1] != length:
        points.append(length)
    present = [0] * len(points)
    total = 0
    for session in sessions:
        for stays in presence.get(session.pk, []):
            total += 1
            for index, minute in enumerate(points):
                instant = session.starts_at + timedelta(minutes=minute)
                if any(start <= instant <= end for start, end in stays):
                    present[index] += 1
    if not total:
        return []
    return [(minute, count / total) for minute, count in zip(points, present, strict=True)]

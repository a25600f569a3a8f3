"""One search over published publications, whatever the database: filters, facets with
counts, a ranked page and a "did you mean", in a fixed number of queries.

`publication_search` is what the library page (/library/?q=…&country=KE) and the staff CSV
export call; `search_index` / `search_remove` keep the index in step with publishing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from library.models import (
    Publication,
    PublicationAuthor,
    PublicationCountry,
    PublicationRegion,
    SearchWord,
    Theme,
)
from library.search.backends import SearchBackend, backend
from library.search.text import query_words
from members.models import Organization
from webinars.regions import REGIONS

FACETS = ("type", "theme", "country", "region", "language", "year", "organization")
FACET_LABELS = {
    "type": _("Type"),
    "theme": _("Theme"),
    "country": _("Country"),
    "region": _("Region"),
    "language": _("Language"),
    "year": _("Year"),
    "organization": _("Organization"),
}
FACET_SIZE = 25
PER_PAGE = 20
MAX_VALUES_PER_FACET = 10  # values a visitor may tick in one facet
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    query: str
    searched: str  # what was searched: the query, or the suggestion when the query found nothing
    suggestion: str | None
    total: int
    page: int
    pages: int
    items: list[Publication]
    facets: dict[str, list[FacetValue]]
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def corrected(self) -> bool:
        return bool(self.query) and self.searched != self.query


def clean_filters(params: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Facet values from query parameters (a QueryDict's lists), each facet at most
    MAX_VALUES_PER_FACET values of sane length; unknown names are ignored."""
    filters: dict[str, list[str]] = {}
    for name in FACETS:
        values = [str(v).strip()[:80] for v in params.get(name, []) if str(v).strip()]
        if values:
            filters[name] = sorted(set(values))[:MAX_VALUES_PER_FACET]
    return filters


def published() -> QuerySet[Publication]:
    return Publication.objects.filter(status=Publication.Status.PUBLISHED)


def _filtered(filters: dict[str, list[str]]) -> QuerySet[Publication]:
    queryset = published()
    through_themes = Publication.themes.through
    through_orgs = Publication.organizations.through
    if "type" in filters:
        queryset = queryset.filter(kind__in=filters["type"])
    if "language" in filters:
        queryset = queryset.filter(language__in=filters["language"])
    if "year" in filters:
        years = [int(y) for y in filters["year"] if y.isdigit() and len(y) == 4]
        queryset = queryset.filter(year__in=years)
    if "theme" in filters:
        # A publication carries its themes' ancestors too (services), so a theme's
        # slug finds everything filed under it.
        queryset = queryset.filter(
            Exists(
                through_themes.objects.filter(
                    publication_id=OuterRef("pk"), theme__slug__in=filters["theme"]
                )
            )
        )
    if "country" in filters:
        codes = [c.upper() for c in filters["country"]]
        queryset = queryset.filter(
            Exists(PublicationCountry.objects.filter(publication=OuterRef("pk"), country__in=codes))
        )
    if "region" in filters:
        queryset = queryset.filter(
            Exists(
                PublicationRegion.objects.filter(
                    publication=OuterRef("pk"), region__in=filters["region"]
                )
            )
        )
    if "organization" in filters:
        queryset = queryset.filter(
            Exists(
                through_orgs.objects.filter(
                    publication_id=OuterRef("pk"), organization__slug__in=filters["organization"]
                )
            )
        )
    return queryset


def _facets(
    matched: QuerySet[Publication], filters: dict[str, list[str]]
) -> dict[str, list[FacetValue]]:
    """One GROUP BY per facet over the matching publications (seven queries, however many
    publications match)."""
    ids = matched.order_by().values("pk")
    chosen = {name: set(values) for name, values in filters.items()}

    def values(name: str, rows: Iterable[tuple[str, str, int]]) -> list[FacetValue]:
        return [
            FacetValue(
                value=str(v), label=str(label), count=n, selected=str(v) in chosen.get(name, ())
            )
            for v, label, n in rows
        ]

    kinds = dict(Publication.Kind.choices)
    languages = dict(Publication.Language.choices)
    by_kind = matched.order_by().values_list("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    by_language = (
        matched.order_by()
        .values_list("language")
        .annotate(n=Count("pk"))
        .order_by("-n", "language")
    )
    by_year = (
        matched.order_by()
        .filter(year__isnull=False)
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")[:FACET_SIZE]
    )
    # Counted by integer id, named afterwards (grouping 50,000 rows by their names'
    # text cost several times more): one more query each for themes and organizations.
    theme_counts = dict(
        Publication.themes.through.objects.filter(publication_id__in=ids)
        .values_list("theme_id")
        .annotate(n=Count("publication_id"))
        .order_by()
    )
    by_theme = [
        (t.slug, "› " * t.depth + t.name, theme_counts[t.pk])
        for t in Theme.objects.filter(pk__in=list(theme_counts)).order_by("path")[: FACET_SIZE * 4]
    ]
    by_country = (
        PublicationCountry.objects.filter(publication_id__in=ids)
        .values_list("country")
        .annotate(n=Count("publication_id"))
        .order_by("-n", "country")[:FACET_SIZE]
    )
    by_region = (
        PublicationRegion.objects.filter(publication_id__in=ids)
        .values_list("region")
        .annotate(n=Count("publication_id"))
        .order_by("-n", "region")
    )
    org_counts = list(
        Publication.organizations.through.objects.filter(publication_id__in=ids)  # type: ignore[misc]
        .values_list("organization_id")
        .annotate(n=Count("publication_id"))
        .order_by("-n", "organization_id")[:FACET_SIZE]
    )
    orgs = {
        pk: (slug, name)
        for pk, slug, name in Organization.objects.filter(
            pk__in=[pk for pk, _n in org_counts]
        ).values_list("pk", "slug", "name")
    }
    by_org = [(*orgs[pk], n) for pk, n in org_counts if pk in orgs]

    return {
        "type": values("type", ((k, kinds.get(k, k), n) for k, n in by_kind)),
        "theme": values("theme", by_theme),
        "country": values("country", ((c, countries.name(c) or c, n) for c, n in by_country)),
        "region": values(
            "region",
            ((r, REGIONS[r][0] if r in REGIONS else r, n) for r, n in by_region),
        ),
        "language": values("language", ((k, languages.get(k, k), n) for k, n in by_language)),
        "year": values("year", ((y, y, n) for y, n in by_year)),
        "organization": values("organization", ((s, name, n) for s, name, n in by_org)),
    }


def with_listing_data(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    """What a result line shows, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("authors", queryset=PublicationAuthor.objects.order_by("position", "id")),
        "organizations",
        "country_rows",
        Prefetch("themes", queryset=Theme.objects.order_by("path")),
    )


def suggestion_for(query: str, engine: SearchBackend | None = None) -> str | None:
    """The query with each word that no indexed title or abstract contains replaced by
    the nearest word that one does; None when every word is known or nothing is near."""
    engine = engine or backend()
    typed = query_words(query)
    if not typed:
        return None
    known = set(SearchWord.objects.filter(word__in=typed).values_list("word", flat=True))
    changed = False
    corrected = []
    for position, word in enumerate(typed):
        if word in known or len(word) < 3 or word.isdigit() or position >= 4:
            corrected.append(word)
            continue
        nearest = engine.nearest_word(word)
        if nearest and nearest != word:
            corrected.append(nearest)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def publication_search(
    *,
    query: str = "",
    filters: dict[str, list[str]] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Published publications matching `query` (any word order; every word must match,
    in any of en/es/fr stemming) and the facet `filters`, best first (newest first without
    a query). When the query finds nothing and a near spelling does, the near spelling is
    searched instead and `searched` says so."""
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    filters = filters or {}
    engine = backend()
    base = _filtered(filters)
    searched = query
    suggestion = None
    if query and query_words(query):
        matched = engine.match(base, query)
        total = matched.count()
        suggestion = suggestion_for(query, engine)
        if total == 0 and suggestion:
            corrected = engine.match(base, suggestion)
            corrected_total = corrected.count()
            if corrected_total:
                searched, matched, total = suggestion, corrected, corrected_total
    elif query:
        matched, total = base.none(), 0
    else:
        matched = base
        total = matched.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page
    if searched and total:
        ids = engine.ranked_ids(
            base, searched, limit=per_page, offset=offset, unfiltered=not filters
        )
        by_id = {p.pk: p for p in with_listing_data(published().filter(pk__in=ids))}
        items = [by_id[i] for i in ids if i in by_id]
    elif total:
        items = list(
            with_listing_data(matched.order_by("-published_at", "-id"))[offset : offset + per_page]
        )
    else:
        items = []
    facets = _facets(matched, filters) if total else {name: [] for name in FACETS}
    return SearchResults(
        query=query,
        searched=searched,
        suggestion=suggestion if searched == query else None,
        total=total,
        page=page,
        pages=pages,
        items=items,
        facets=facets,
        filters=filters,
    )


def search_rows(*, query: str, filters: dict[str, list[str]]) -> Iterable[Sequence]:
    """Every matching publication as CSV rows (the staff export), streamed in batches."""
    engine = backend()
    base = _filtered(filters)
    matched = engine.match(base, query) if query and query_words(query) else base
    ordered = with_listing_data(matched.order_by("-published_at", "-id"))
    for start in range(0, 10**9, 500):
        batch = list(ordered[start : start + 500])
        if not batch:
            return
        for p in batch:
            yield (
                p.pk,
                p.title,
                "; ".join(a.name for a in p.authors.all()),
                "; ".join(o.name for o in p.organizations.all()),
                p.date_label,
                p.get_kind_display(),
                p.language,
                "; ".join(t.path for t in p.themes.all()),
                " ".join(str(c.country) for c in p.country_rows.all()),
                p.doi,
                p.isbn,
                p.url,
                p.licence,
            )


SEARCH_CSV_HEADER = [
    "id",
    "title",
    "authors",
    "organizations",
    "date",
    "type",
    "language",
    "themes",
    "countries",
    "doi",
    "isbn",
    "url",
    "licence",
]


def search_index(publication_ids: Iterable[int]) -> int:
    """Bring these publications' index entries up to date: published ones (re)indexed,
    others removed. Idempotent."""
    ids = list(publication_ids)
    if not ids:
        return 0
    engine = backend()
    rows = list(Publication.objects.filter(pk__in=ids))
    live = [p for p in rows if p.is_published]
    gone = [i for i in ids if i not in {p.pk for p in live}]
    engine.remove(gone)
    engine.index(live)
    return len(live)

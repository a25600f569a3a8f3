"""One search over published publications, whatever the database: filters, facets with
counts, a ranked page and a "did you mean", in a fixed number of queries.

`publication_search` is what the library page (/library/?q=…&country=KE) and the staff CSV
export call; `search_index` / `search_remove` keep the index in step with publishing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
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
from library.search.facets import FACETS, Counts, Found, facet_filter_values
from library.search.text import query_words
from members.models import Organization
from webinars.regions import REGIONS

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
MAX_PAGE = 10_000  # a page number past this is read as the last page
FEW_RESULTS = 5  # below this many results a query is checked for misspelt words


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
        years = [int(y) for y in facet_filter_values("year", filters["year"])]
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
        codes = facet_filter_values("country", filters["country"])
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


def _facets(counts: Counts, filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    """Counts labelled and ordered (two small lookups: theme and organization names)."""
    chosen = {name: set(values) for name, values in filters.items()}

    def values(name: str, rows: Iterable[tuple[Any, Any, int]]) -> list[FacetValue]:
        return [
            FacetValue(
                value=str(v), label=str(label), count=n, selected=str(v) in chosen.get(name, ())
            )
            for v, label, n in rows
        ]

    def top(name: str) -> list[tuple[str, int]]:
        return sorted(counts[name].items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]

    kinds = dict(Publication.Kind.choices)
    languages = dict(Publication.Language.choices)
    themes = Theme.objects.filter(pk__in=[int(k) for k in counts["theme"]]).order_by("path")
    by_theme = [
        (t.slug, "› " * t.depth + t.name, counts["theme"][str(t.pk)])
        for t in themes[: FACET_SIZE * 4]
    ]
    org_counts = top("organization")
    orgs = {
        str(pk): (slug, name)
        for pk, slug, name in Organization.objects.filter(
            pk__in=[int(k) for k, _n in org_counts]
        ).values_list("pk", "slug", "name")
    }
    years = sorted(counts["year"].items(), key=lambda item: item[0], reverse=True)[:FACET_SIZE]
    return {
        "type": values("type", ((k, kinds.get(k, k), n) for k, n in top("type"))),
        "theme": values("theme", by_theme),
        "country": values("country", ((c, countries.name(c) or c, n) for c, n in top("country"))),
        "region": values(
            "region",
            ((r, REGIONS[r][0] if r in REGIONS else r, n) for r, n in top("region")),
        ),
        "language": values("language", ((k, languages.get(k, k), n) for k, n in top("language"))),
        "year": values("year", ((y, y, n) for y, n in years)),
        "organization": values(
            "organization", ((*orgs[pk], n) for pk, n in org_counts if pk in orgs)
        ),
    }


def with_listing_data(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    """What a result line shows (authors, organizations), in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("authors", queryset=PublicationAuthor.objects.order_by("position", "id")),
        "organizations",
    )


def with_record_data(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    """A result line's data and the places and themes of a whole record (its page, the
    CSV export)."""
    return with_listing_data(queryset).prefetch_related(
        "country_rows", Prefetch("themes", queryset=Theme.objects.order_by("path"))
    )


def suggestion_for(
    query: str, engine: SearchBackend | None = None, *, found: int = 0
) -> str | None:
    """The query with each word that no indexed title or abstract contains replaced by
    the nearest word that one does; None when every word is known, nothing is near, or
    the query already `found` FEW_RESULTS or more (the near-word lookups, trigram or edit
    distance per unknown word, are the costly part; the known-word check is one indexed
    query, made either way so that a search's query count does not depend on its hits)."""
    engine = engine or backend()
    typed = query_words(query)
    if not typed:
        return None
    known = set(SearchWord.objects.filter(word__in=typed).values_list("word", flat=True))
    if found >= FEW_RESULTS:
        return None
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
    page = min(max(1, page), MAX_PAGE)
    offset = (page - 1) * per_page
    if query and not query_words(query):
        found = Found()  # nothing but punctuation
    else:
        found = engine.search(base, query, filters=filters, limit=per_page, offset=offset)
        if query:
            suggestion = suggestion_for(query, engine, found=found.total)
            if suggestion and not found.total:
                corrected = engine.search(
                    base, suggestion, filters=filters, limit=per_page, offset=offset
                )
                if corrected.total:
                    searched, found = suggestion, corrected
    total = found.total
    counts = found.counts
    pages = max(1, math.ceil(total / per_page))
    if page > pages:  # asked past the last page: the last one instead
        page = pages
        offset = (page - 1) * per_page
        if searched and total:
            found = engine.search(base, searched, filters=filters, limit=per_page, offset=offset)
    if searched and total:
        ids = found.ids
        by_id = {p.pk: p for p in with_listing_data(published().filter(pk__in=ids))}
        items = [by_id[i] for i in ids if i in by_id]
    elif total:
        items = list(
            with_listing_data(base.order_by("-published_at", "-id"))[offset : offset + per_page]
        )
    else:
        items = []
    facets = _facets(counts, filters) if total else {name: [] for name in FACETS}
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
    # The ids first, in one query: the batches that follow need nothing the match left
    # on the connection (SQLite's TEMP table) to stay put while the response streams.
    ids = list(matched.order_by("-published_at", "-id").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        by_id = {p.pk: p for p in with_record_data(Publication.objects.filter(pk__in=chunk))}
        for p in (by_id[pk] for pk in chunk if pk in by_id):
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
    live_ids = {p.pk for p in live}
    gone = [i for i in ids if i not in live_ids]
    engine.remove(gone)
    engine.index(live)
    return len(live)

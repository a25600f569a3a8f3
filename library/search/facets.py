"""Facet counts of a search: what the backends return to the service, and the portable way
to count them (joins over the facet tables, used by SQLite; PostgreSQL counts the values
its search documents carry, library/search/backends.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from library.models import Publication

FACETS = ("type", "theme", "country", "region", "language", "year", "organization")

Counts = dict[str, dict[str, int]]


def facet_filter_values(name: str, values: list[str]) -> list[str]:
    """A facet's chosen values as the publications store them: country codes in capitals,
    years of four digits (anything else chooses nothing)."""
    if name == "country":
        return [v.upper() for v in values]
    if name == "year":
        return [str(int(v)) for v in values if v.isdigit() and len(v) == 4]
    return list(values)


def empty_counts() -> Counts:
    return {name: {} for name in FACETS}


@dataclass
class Found:
    """What one search found: each facet's value counts (theme and organization by id) and,
    for a text query, one ranked page of publication ids, best first."""

    counts: Counts = field(default_factory=empty_counts)
    ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts["type"].values())  # every publication has exactly one type


FACET_SQL = {
    # facet: (table joined to the hits on its publication column, value expression, where);
    # no table: the value is a column the hits carry (read in the same pass as the ids)
    "type": ("", "", "h.kind", ""),
    "language": ("", "", "h.language", ""),
    "year": ("", "", "CAST(h.year AS TEXT)", "h.year IS NOT NULL"),
    "theme": ("library_publication_themes", "publication_id", "CAST(f.theme_id AS TEXT)", ""),
    "country": ("library_publicationcountry", "publication_id", "f.country", ""),
    "region": ("library_publicationregion", "publication_id", "f.region", ""),
    "organization": (
        "library_publication_organizations",
        "publication_id",
        "CAST(f.organization_id AS TEXT)",
        "",
    ),
}


def facet_counts(matched: QuerySet[Publication]) -> Counts:
    """Every facet's counts in ONE query: the matching ids computed once (a materialized
    CTE) and seven GROUP BYs over them, UNION ALL."""
    hits = matched.order_by().values("pk", "kind", "language", "year")
    try:
        ids_sql, ids_params = hits.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (a year "20x3")
        return empty_counts()
    parts = []
    for name, (table, column, value, where) in FACET_SQL.items():
        condition = f"WHERE {where} " if where else ""
        source = f"{table} f JOIN hits h ON h.id = f.{column}" if table else "hits h"
        parts.append(
            f"SELECT '{name}', {value}, COUNT(*) FROM {source} "  # noqa: S608
            f"{condition}GROUP BY {value}"
        )
    sql = f"WITH hits(id, kind, language, year) AS MATERIALIZED ({ids_sql}) " + " UNION ALL ".join(
        parts
    )
    counts = empty_counts()
    with connection.cursor() as cursor:
        cursor.execute(sql, ids_params)
        for name, value, n in cursor.fetchall():
            counts[name][str(value)] = n
    return counts

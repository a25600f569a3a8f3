"""The two search backends behind one service (library/search/service.py).

Each backend knows how to (re)index published publications, restrict a queryset of
publications to those matching a query, return one ranked page of ids, and find the
indexed words nearest to a mistyped one. The service builds everything else (filters,
facets, pages) the same way on both, so both give the same results contract.

- PostgreSQL: one `tsvector` per publication built in its own language's configuration
  (english / spanish / french, `simple` for others), title weighted A, abstract B, body C,
  GIN-indexed; each query word may match its lexeme in any configuration (one tsquery
  `'cash' & ( 'transf' | 'transfer' )`, as the SQLite side ORs a word's stems);
  suggestions by pg_trgm similarity over the word list (trigram GIN index). Each search
  document also stores its publication's facet values (`facet_keys`, "country:KE",
  written with the vector), so one query finds the matches, counts every facet from the
  matched rows alone (no join per facet) and ranks the page.
- SQLite: an FTS5 table whose text was stemmed per language with Snowball before it went
  in; query words are stemmed in each language and OR-ed; ranked by bm25 with column
  weights 10 (title) / 4 (abstract) / 1 (body); suggestions by edit distance over the
  word list's near-length candidates.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr

from library.models import Publication, PublicationSearchDocument, SearchWord
from library.search.facets import Found, empty_counts, facet_counts, facet_filter_values
from library.search.text import fold, fts5_query, query_words, stemmed_text, words

FTS_TABLE = "library_publication_fts"
HITS_TABLE = "temp.library_search_hits"
PG_CONFIGS = {"en": "english", "es": "spanish", "fr": "french"}
PG_QUERY_CONFIGS = (*PG_CONFIGS.values(), "simple")
# A query's words (an array, in order) as one tsquery's text: each word's lexemes in every
# configuration OR-ed, the words AND-ed; a word that any configuration drops as a stop
# word is left out. PostgreSQL writes each lexeme quoted, so the text is safe to cast back.
TSQUERY_SQL = (
    "SELECT string_agg(word_forms, ' & ') FROM ("
    "SELECT '( ' || string_agg(DISTINCT '( ' || form || ' )', ' | ') || ' )' AS word_forms "
    "FROM (SELECT w.n, plainto_tsquery(c.config::regconfig, w.word)::text AS form "
    "FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n), unnest(%s::text[]) AS c(config)) f "
    "GROUP BY f.n HAVING bool_and(f.form <> '')) words"
)
BODY_LIMIT = 400_000  # characters of extracted text indexed (a tsvector holds at most 1 MB)
BM25_WEIGHTS = (10.0, 4.0, 1.0)
WORD_MIN, WORD_MAX = 3, 60
BY_SLUG = {"theme": "library_theme", "organization": "members_organization"}
# A publication's facet values as "facet:value" (theme and organization by id), computed
# from its rows when it is indexed (`p` is the publication). Migration 0005 holds a copy.
FACET_KEYS_SQL = (
    "ARRAY['type:' || p.kind, 'language:' || p.language] "
    "|| CASE WHEN p.year IS NULL THEN '{}'::text[] ELSE ARRAY['year:' || p.year] END "
    "|| ARRAY(SELECT 'theme:' || f.theme_id FROM library_publication_themes f "
    "WHERE f.publication_id = p.id) "
    "|| ARRAY(SELECT 'country:' || f.country FROM library_publicationcountry f "
    "WHERE f.publication_id = p.id) "
    "|| ARRAY(SELECT 'region:' || f.region FROM library_publicationregion f "
    "WHERE f.publication_id = p.id) "
    "|| ARRAY(SELECT 'organization:' || f.organization_id "
    "FROM library_publication_organizations f WHERE f.publication_id = p.id)"
)


def vocabulary_words(*texts: str) -> set[str]:
    return {w for text in texts for w in words(text) if WORD_MIN <= len(w) <= WORD_MAX}


class SearchBackend:
    name = ""

    def index(self, publications: Sequence[Publication]) -> None:
        """(Re)index these publications (published ones; the caller decides). Their
        extracted text is what their search documents already hold."""
        if not publications:
            return
        PublicationSearchDocument.objects.bulk_create(
            [
                PublicationSearchDocument(publication_id=p.pk, language=p.language)
                for p in publications
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        for language in {p.language for p in publications}:
            PublicationSearchDocument.objects.filter(
                publication_id__in=[p.pk for p in publications if p.language == language]
            ).exclude(language=language).update(language=language)
        new_words = vocabulary_words(*(t for p in publications for t in (p.title, p.abstract)))
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(new_words)],
            ignore_conflicts=True,
            batch_size=2000,
        )
        bodies = dict(
            PublicationSearchDocument.objects.filter(
                publication_id__in=[p.pk for p in publications]
            ).values_list("publication_id", "body")
        )
        self._index_text(publications, bodies)

    def remove(self, publication_ids: Iterable[int]) -> None:
        """Out of the index (the extracted text stays for when it is published again)."""
        self._remove_text(list(publication_ids))

    def _index_text(self, publications: Sequence[Publication], bodies: dict[int, str]) -> None:
        raise NotImplementedError

    def _remove_text(self, ids: list[int], cursor=None) -> None:
        raise NotImplementedError

    def match(self, queryset: QuerySet[Publication], query: str) -> QuerySet[Publication]:
        raise NotImplementedError

    def ranked_ids(
        self,
        queryset: QuerySet[Publication],
        query: str,
        *,
        limit: int,
        offset: int,
        unfiltered: bool = False,
    ) -> list[int]:
        """One page of matching ids, best first, for the default `search` (PostgreSQL
        ranks inside its own). `unfiltered`: `queryset` is every published publication
        (no facet chosen), which a backend may skip checking."""
        raise NotImplementedError

    def search(
        self,
        queryset: QuerySet[Publication],
        query: str,
        *,
        filters: dict[str, list[str]],
        limit: int,
        offset: int,
    ) -> Found:
        """The facet counts of the publications that match `query` (all of them when it
        is empty) among `queryset`, the published ones that `filters` chose, and, for a
        query, one ranked page of their ids."""
        matched = self.match(queryset, query) if query else queryset
        found = Found(counts=facet_counts(matched))
        if query and 0 <= offset < found.total:
            found.ids = self.ranked_ids(
                queryset, query, limit=limit, offset=offset, unfiltered=not filters
            )
        return found

    def nearest_word(self, word: str) -> str | None:
        raise NotImplementedError


class PostgresBackend(SearchBackend):
    name = "postgresql"

    def _index_text(self, publications: Sequence[Publication], bodies: dict[int, str]) -> None:
        ids = [p.pk for p in publications]
        if not ids:
            return
        config = (
            "(CASE d.language WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' "
            "WHEN 'fr' THEN 'french' ELSE 'simple' END)::regconfig"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE library_publicationsearchdocument AS d SET vector = "  # noqa: S608
                f"setweight(to_tsvector({config}, coalesce(p.title, '')), 'A') || "
                f"setweight(to_tsvector({config}, coalesce(p.abstract, '')), 'B') || "
                f"setweight(to_tsvector({config}, coalesce(d.body, '')), 'C'), "
                f"facet_keys = {FACET_KEYS_SQL} "
                "FROM library_publication AS p "
                "WHERE p.id = d.publication_id AND d.publication_id = ANY(%s)",
                [ids],
            )

    def _remove_text(self, ids: list[int], cursor=None) -> None:
        PublicationSearchDocument.objects.filter(publication_id__in=ids).update(vector=None)

    def _tsquery(self, query: str) -> str | None:
        """The query as PostgreSQL's tsquery text: every word must match one of its forms,
        which are its lexemes in each configuration (english, spanish, french, simple),
        de-duplicated: `'cash' & ( 'transf' | 'transfer' )`. A word that is a stop word
        in any of them is left out (it is not indexed in that language's documents).
        One small query; the text goes into the search as a constant, so the planner
        sees what it will match. None when no word is left."""
        typed = query_words(query)
        if not typed:
            return None
        with connection.cursor() as cursor:
            cursor.execute(TSQUERY_SQL, [typed, list(PG_QUERY_CONFIGS)])
            text = cursor.fetchone()[0]
        return text or None

    def _filter_sql(self, filters: dict[str, list[str]]) -> tuple[str, list[Any]]:
        """`filters` as conditions on the facet values a document carries: each facet
        chosen must share one value with them (themes and organizations named by slug)."""
        sql, params = "", []
        for name, values in filters.items():
            chosen = facet_filter_values(name, values)
            if name in BY_SLUG:
                sql += (
                    f" AND d.facet_keys && ARRAY(SELECT '{name}:' || t.id "  # noqa: S608
                    f"FROM {BY_SLUG[name]} t WHERE t.slug = ANY(%s::text[]))"
                )
                params.append(chosen)
            else:
                sql += " AND d.facet_keys && %s::text[]"
                params.append([f"{name}:{value}" for value in chosen])
        return sql, params

    def search(
        self,
        queryset: QuerySet[Publication],
        query: str,
        *,
        filters: dict[str, list[str]],
        limit: int,
        offset: int,
    ) -> Found:
        """One query: the matching documents once (a materialized CTE), filtered and every
        facet counted on the values they carry (no join), and the page ranked among them.
        Only published publications have a vector, so `queryset` need not be read."""
        rank, where, rank_params, params = "", "d.vector IS NOT NULL", [], []
        if query:
            tsquery = self._tsquery(query)
            if tsquery is None:
                return Found()
            rank, rank_params = ", ts_rank(d.vector, %s::tsquery) AS rank", [tsquery]
            where, params = "d.vector @@ %s::tsquery", [tsquery]
        filter_sql, filter_params = self._filter_sql(filters)
        where += filter_sql
        params += filter_params
        sql = (
            "WITH hits AS MATERIALIZED (SELECT d.publication_id AS id, "  # noqa: S608
            f"d.facet_keys AS keys{rank} FROM library_publicationsearchdocument d "
            f"WHERE {where}) "
            "SELECT k, COUNT(*), NULL::real FROM (SELECT unnest(keys) AS k FROM hits) AS keys "
            "GROUP BY k"
        )
        params = rank_params + params
        if query:
            sql += (
                " UNION ALL (SELECT NULL, id, rank FROM hits "
                "ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s)"
            )
            params += [limit, offset]
        found = Found(counts=empty_counts())
        page: list[tuple[float, int]] = []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for key, number, score in cursor.fetchall():
                if key is None:
                    page.append((score, number))
                    continue
                name, _sep, value = key.partition(":")
                if name in found.counts:
                    found.counts[name][value] = number
        found.ids = [pk for _score, pk in sorted(page, key=lambda row: (-row[0], -row[1]))]
        return found

    def match(self, queryset: QuerySet[Publication], query: str) -> QuerySet[Publication]:
        tsquery = self._tsquery(query)
        if tsquery is None:
            return queryset.none()
        matching = RawSQL(
            "SELECT publication_id FROM library_publicationsearchdocument "
            "WHERE vector @@ %s::tsquery",
            [tsquery],
        )
        return queryset.filter(pk__in=matching)  # noqa: S611

    def nearest_word(self, word: str) -> str | None:
        similar = RawSQL("word %% %s", [word], output_field=BooleanField())  # noqa: S611
        found = (
            SearchWord.objects.alias(similar=similar)
            .filter(similar=True)
            .annotate(
                similarity=RawSQL("similarity(word, %s)", [word])  # noqa: S611
            )
            .order_by("-similarity", "-frequency", "word")
            .values_list("word", flat=True)
            .first()
        )
        return found


class SqliteBackend(SearchBackend):
    name = "sqlite"

    def _index_text(self, publications: Sequence[Publication], bodies: dict[int, str]) -> None:
        if not publications:
            return
        rows = [
            (
                p.pk,
                stemmed_text(p.title, p.language),
                stemmed_text(p.abstract, p.language),
                stemmed_text((bodies.get(p.pk) or "")[:BODY_LIMIT], p.language),
            )
            for p in publications
        ]
        with connection.cursor() as cursor:
            self._remove_text([p.pk for p in publications], cursor=cursor)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, abstract, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                rows,
            )

    def _remove_text(self, ids: list[int], cursor=None) -> None:
        if not ids:
            return
        if cursor is None:
            with connection.cursor() as own:
                self._remove_text(ids, cursor=own)
            return
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def match(self, queryset: QuerySet[Publication], query: str) -> QuerySet[Publication]:
        """The matching ids are written once to a per-connection TEMP table, which the
        count and the seven facet queries then read by rowid: FTS5 runs the match once
        per search, not once per query. (A later match on the same connection replaces
        them: use the returned queryset before matching again.)"""
        expression = fts5_query(query)
        if not expression:
            return queryset.none()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {HITS_TABLE} (id INTEGER PRIMARY KEY)")
            cursor.execute(f"DELETE FROM {HITS_TABLE}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {HITS_TABLE} (id) "  # noqa: S608
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
                [expression],
            )
        hits = f"SELECT id FROM {HITS_TABLE}"  # noqa: S608
        return queryset.filter(pk__in=RawSQL(hits, []))  # noqa: S611

    def ranked_ids(
        self,
        queryset: QuerySet[Publication],
        query: str,
        *,
        limit: int,
        offset: int,
        unfiltered: bool = False,
    ) -> list[int]:
        expression = fts5_query(query)
        if not expression:
            return []
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        where, params = "", []
        if not unfiltered:  # the index holds published publications only
            try:
                inner = queryset.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # a filter that can match nothing
                return []
            inner_sql, inner_params = inner
            # `+rowid`: filter the matches, rather than run the match once per filtered id
            where, params = f"AND +rowid IN ({inner_sql}) ", list(inner_params)
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s {where}"  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, {weights}), rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def nearest_word(self, word: str) -> str | None:
        if len(word) < WORD_MIN:
            return None
        size = len(word)
        folded = fold(word)
        # A typo rarely touches both the first letter and the second: candidates share
        # one of them and are within two letters of the length.
        candidates = (
            SearchWord.objects.alias(size=Length("word"))
            .filter(size__gte=size - 2, size__lte=size + 2)
            .alias(first=Substr("word", 1, 1), second=Substr("word", 2, 1))
            .filter(Q(first=word[0]) | Q(second=word[1:2]))
            .values_list("word", "frequency")
        )
        best: tuple[float, int, str] | None = None
        for candidate, frequency in candidates.iterator(chunk_size=2000):
            ratio = difflib.SequenceMatcher(None, folded, fold(candidate)).ratio()
            if ratio >= 0.75 and (best is None or (ratio, frequency) > best[:2]):
                best = (ratio, frequency, candidate)
        return best[2] if best else None


def backend() -> SearchBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()

"""Glossary reads: A–Z per language, a term's page, search across languages, and the
in-process structures built from the whole glossary (the term matcher for linking, the
word index for search), rebuilt when the glossary's version changes.

The version is read from the database (latest change, number and ids of the terms):
once per request that shows linked text (so a page's query count is the same whatever
the clock says, and a change made by another process, a command-line import, shows on
the next page), and outside requests at most every REFRESH_SECONDS; the process that
changed the glossary looks again at once (services.glossary.glossary_changed).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.http import Http404
from django.urls import reverse

from core.languages import reader_language
from library.glossary_text import Matcher, Pattern, Target, fold, keys_of, short_definition
from library.models import GLOSSARY_LANGUAGES, Concept, ConceptTerm, Theme, theme_ancestor_paths

REFRESH_SECONDS = 5.0
MAX_QUERY_WORDS = 8
OTHER_LETTER = "#"


# --- version and in-process structures ---------------------------------------------------


@dataclass
class _State:
    version: str = ""
    checked: float = -1e9
    checked_in_request: int = -1  # the request count when the version was last read
    matchers: dict[tuple[str, str], Matcher] = field(default_factory=dict)
    index: SearchIndex | None = None


_state = _State()
_lock = threading.Lock()
_requests = [0]  # requests started in this process (request_started, from LibraryConfig)


def glossary_request_started(**_kwargs: object) -> None:
    _requests[0] += 1


def glossary_state_reset() -> None:
    """Read the version again on the next call (this process changed the glossary)."""
    _state.checked, _state.checked_in_request = -1e9, -1


def glossary_version() -> str:
    """A short token that changes whenever a term is added, changed or removed."""
    moment, request = time.monotonic(), _requests[0]
    if _state.version and (
        _state.checked_in_request == request
        if request
        else moment - _state.checked < REFRESH_SECONDS
    ):
        return _state.version
    figures = ConceptTerm.objects.aggregate(latest=Max("updated_at"), n=Count("id"), ids=Sum("id"))
    token = f"{figures['latest']}|{figures['n']}|{figures['ids']}"
    version = hashlib.blake2b(token.encode(), digest_size=6).hexdigest()
    with _lock:
        if version != _state.version:
            _state.version, _state.matchers, _state.index = version, {}, None
        _state.checked, _state.checked_in_request = moment, request
    return version


def term_url(language: str, slug: str) -> str:
    return reverse("library:glossary_term", kwargs={"language": language, "slug": slug})


def _build_matcher(language: str) -> Matcher:
    terms = ConceptTerm.objects.all()
    if language:
        terms = terms.filter(language=language)
    patterns = []
    base = reverse("library:glossary")  # "/library/glossary/": term_url without a reverse each
    rows = terms.order_by("language", "id").values_list(
        "concept_id", "language", "term", "slug", "definition", "abbreviation", "synonyms"
    )
    for concept_id, code, term, slug, definition, abbreviation, synonyms in rows:
        target = Target(
            concept_id=concept_id,
            url=f"{base}{code}/{slug}/",
            title=f"{term}: {short_definition(definition)}",
            language=code,
        )
        for text in [term, abbreviation, *(synonyms or [])]:
            if text:
                patterns.append(Pattern(text=text, target=target))
    return Matcher(patterns)


def glossary_matcher(language: str = "") -> Matcher:
    """The matcher over every term, abbreviation and synonym of `language` ("" for all
    languages), built once per glossary version and process."""
    language = language if language in GLOSSARY_LANGUAGES else ""
    key = (glossary_version(), language)
    matcher = _state.matchers.get(key)
    if matcher is None:
        matcher = _build_matcher(language)
        _state.matchers[key] = matcher
    return matcher


# --- search ----------------------------------------------------------------------------


def edit_distance_within(a: str, b: str, limit: int) -> bool:
    """True when `a` becomes `b` in at most `limit` single-letter edits."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _typo_limit(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass
class SearchIndex:
    """Every word of every term, abbreviation and synonym (as keys) → the terms using it."""

    words: dict[str, set[int]]
    by_length: dict[int, list[str]]
    phrases: dict[int, set[tuple[str, ...]]]  # term id → its patterns as key tuples
    concept_of: dict[int, int]

    @classmethod
    def build(cls) -> SearchIndex:
        words: dict[str, set[int]] = defaultdict(set)
        phrases: dict[int, set[tuple[str, ...]]] = defaultdict(set)
        concept_of: dict[int, int] = {}
        rows = ConceptTerm.objects.values_list(
            "id", "concept_id", "term", "abbreviation", "synonyms"
        )
        for pk, concept_id, term, abbreviation, synonyms in rows:
            concept_of[pk] = concept_id
            for text in [term, abbreviation, *(synonyms or [])]:
                keys = keys_of(text or "")
                if keys:
                    phrases[pk].add(keys)
                for key in keys:
                    words[key].add(pk)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in words:
            by_length[len(word)].append(word)
        return cls(dict(words), dict(by_length), dict(phrases), concept_of)

    def scores(self, token: str, met: set[str] | None = None) -> dict[int, int]:
        """term id → how well `token` meets one of its words: 3 exactly, 2 as the start
        of a word, 1 within a typo or two. The words met are added to `met`."""
        found: dict[int, int] = {}

        def give(word: str, score: int) -> None:
            if met is not None:
                met.add(word)
            for pk in self.words[word]:
                if found.get(pk, 0) < score:
                    found[pk] = score

        if token in self.words:
            give(token, 3)
        limit = _typo_limit(token)
        for length, words in self.by_length.items():
            if len(token) >= 3 and length > len(token):
                for word in words:
                    if word.startswith(token):
                        give(word, 2)
            if limit and abs(length - len(token)) <= limit:
                for word in words:
                    if word != token and edit_distance_within(token, word, limit):
                        give(word, 1)
        return found


def _search_index() -> SearchIndex:
    glossary_version()
    if _state.index is None:
        _state.index = SearchIndex.build()
    return _state.index


@dataclass(frozen=True)
class GlossaryHit:
    concept_id: int
    shown: ConceptTerm  # the concept in the reader's language (or another it has)
    matched: ConceptTerm  # the entry whose words met the query
    exact: bool  # False when the query met it only through a typo


def glossary_search(
    *, query: str, language: str | None = None, limit: int = 50
) -> list[GlossaryHit]:
    """Concepts whose term, abbreviation or synonyms in ANY language meet every word of
    `query` (case and accents ignored, word starts and small typos allowed); best
    first. Two queries whatever the number of hits."""
    tokens = list(dict.fromkeys(keys_of(query)))[:MAX_QUERY_WORDS]
    if not tokens:
        return []
    index = _search_index()
    total: dict[int, float] = {}
    weakest: dict[int, int] = {}
    met: set[str] = set()
    for n, token in enumerate(tokens):
        scores = index.scores(token, met)
        if n == 0:
            total, weakest = dict(scores), dict(scores)
        else:
            total = {pk: total[pk] + s for pk, s in scores.items() if pk in total}
            weakest = {pk: min(weakest[pk], scores[pk]) for pk in total}
        if not total:
            return []
    whole = tuple(tokens)
    for pk in total:
        phrases = index.phrases.get(pk, ())
        if whole in phrases:
            total[pk] += 10
        # Under a point: how much of its best name the query covers ("transferencia
        # condicionada" is closer to "transferencia monetaria condicionada" than to
        # "transferencia monetaria no condicionada").
        total[pk] += max((sum(w in met for w in p) / (len(p) + 1) for p in phrases), default=0)
    best: dict[int, int] = {}
    for pk, score in total.items():
        concept = index.concept_of[pk]
        if concept not in best or score > total[best[concept]]:
            best[concept] = pk
    ranked = sorted(best.items(), key=lambda item: (-total[item[1]], item[0]))[:limit]
    reader = reader_language(language)
    entries = ConceptTerm.objects.filter(concept_id__in=[c for c, _pk in ranked])
    by_concept: dict[int, dict[str, ConceptTerm]] = defaultdict(dict)
    by_id: dict[int, ConceptTerm] = {}
    for entry in entries:
        by_concept[entry.concept_id][entry.language] = entry
        by_id[entry.pk] = entry
    hits = []
    for concept_id, pk in ranked:
        if pk not in by_id:  # removed since the index was built
            continue
        shown = _in_language(by_concept[concept_id], reader)
        hits.append(GlossaryHit(concept_id, shown, by_id[pk], weakest[pk] > 1))
    hits.sort(key=lambda h: (-total[h.matched.pk], fold(h.shown.term), h.concept_id))
    return hits


def _in_language(terms: dict[str, ConceptTerm], language: str) -> ConceptTerm:
    for code in (language, *GLOSSARY_LANGUAGES):
        if code in terms:
            return terms[code]
    raise LookupError("a concept without terms")


# --- A–Z and pages -----------------------------------------------------------------------


def letter_of(term: str) -> str:
    first = fold(term)[:1].upper()
    return first if first.isalpha() else OTHER_LETTER


@dataclass(frozen=True)
class AToZ:
    language: str
    letters: list[tuple[str, int]]  # every initial used, with how many terms
    letter: str
    terms: list[ConceptTerm]


def glossary_a_to_z(*, language: str, letter: str = "") -> AToZ:
    """The terms of one language under one initial (accents folded: É under E); the
    first initial when none is asked. One query."""
    language = language if language in GLOSSARY_LANGUAGES else "en"
    entries = sorted(
        ConceptTerm.objects.filter(language=language).only(
            "concept_id", "language", "term", "slug", "abbreviation", "definition"
        ),
        key=lambda t: fold(t.term),
    )
    counts: dict[str, int] = defaultdict(int)
    for entry in entries:
        counts[letter_of(entry.term)] += 1
    letters = sorted(counts.items(), key=lambda item: (item[0] == OTHER_LETTER, item[0]))
    letter = (letter or "").upper()[:1]
    if letter not in counts:
        letter = letters[0][0] if letters else ""
    return AToZ(
        language=language,
        letters=letters,
        letter=letter,
        terms=[e for e in entries if letter_of(e.term) == letter],
    )


@dataclass(frozen=True)
class ConceptPage:
    entry: ConceptTerm
    translations: list[ConceptTerm]  # the concept in the other languages
    see_also: list[ConceptTerm]  # related concepts, in this page's language where they have it
    sources: list
    themes: list[ThemeTrail]  # the themes it is filed under, in tree order


@dataclass(frozen=True)
class ThemeTrail:
    theme: Theme
    label: str  # the theme under its ancestors: "Social assistance › Cash transfers"


def theme_trails(themes: list[Theme]) -> list[ThemeTrail]:
    """Each theme named with the themes above it, in the reader's language; one query
    when any theme is below the root."""
    above = {p for t in themes for p in theme_ancestor_paths(t.path)}
    names = {t.path: t.name for t in Theme.objects.filter(path__in=above)} if above else {}
    names.update({t.path: t.name for t in themes})
    return [
        ThemeTrail(t, " › ".join(names.get(p, p) for p in [*theme_ancestor_paths(t.path), t.path]))
        for t in themes
    ]


def glossary_concept_page(*, language: str, slug: str) -> ConceptPage:
    """A term's page; five queries, six when a theme it is filed under has a parent."""
    entry = (
        ConceptTerm.objects.select_related("concept")
        .prefetch_related(
            Prefetch("concept__terms", queryset=ConceptTerm.objects.order_by("language")),
            "concept__sources",
            Prefetch("concept__themes", queryset=Theme.objects.order_by("path")),
        )
        .filter(language=language, slug=slug)
        .first()
    )
    if entry is None:
        raise Http404("no such term")
    concept = entry.concept
    related = Concept.objects.filter(
        pk__in=concept.see_also.through.objects.filter(from_concept=concept).values("to_concept")
    ).prefetch_related("terms")
    see_also = [
        _in_language({t.language: t for t in c.terms.all()}, language)
        for c in related
        if c.terms.all()
    ]
    see_also.sort(key=lambda t: fold(t.term))
    return ConceptPage(
        entry=entry,
        translations=[t for t in concept.terms.all() if t.language != language],
        see_also=see_also,
        sources=list(concept.sources.all()),
        themes=theme_trails(list(concept.themes.all())),
    )


THEME_TERMS_SHOWN = 12


def glossary_terms_for_themes(
    *, slugs: list[str], language: str | None = None, limit: int = THEME_TERMS_SHOWN
) -> list[ConceptTerm]:
    """The concepts filed under these themes or any theme below them, one entry each in
    the reader's language (or another it has), A–Z. Two queries."""
    paths = list(Theme.objects.filter(slug__in=slugs).values_list("path", flat=True))
    if not paths:
        return []
    under = Q(path__in=paths)
    for path in paths:
        under |= Q(path__startswith=f"{path}/")
    concepts = Concept.objects.filter(themes__in=Theme.objects.filter(under))
    by_concept: dict[int, dict[str, ConceptTerm]] = defaultdict(dict)
    for entry in ConceptTerm.objects.filter(concept__in=concepts).only(
        "concept_id", "language", "term", "slug", "abbreviation"
    ):
        by_concept[entry.concept_id][entry.language] = entry
    reader = reader_language(language)
    shown = [_in_language(terms, reader) for terms in by_concept.values()]
    return sorted(shown, key=lambda t: fold(t.term))[:limit]


def glossary_entry_for(*, concept_key: str, language: str) -> ConceptTerm | None:
    """A concept's entry in `language`, or in another language it has."""
    terms = {t.language: t for t in ConceptTerm.objects.filter(concept__key=concept_key)}
    return _in_language(terms, language) if terms else None


def glossary_expansions(*, query: str, limit: int = 2) -> list[str]:
    """Every name, in every language, of the (at most `limit`) concepts `query` names:
    their terms, abbreviations and synonyms. For a publications search that should find
    "transferencia monetaria condicionada" when asked for "conditional cash transfer"
    (or for "transferencia condicionda"). Two queries."""
    hits = glossary_search(query=query, limit=limit)
    if not hits:
        return []
    names: dict[str, None] = {}
    rows = ConceptTerm.objects.filter(concept_id__in=[h.concept_id for h in hits]).values_list(
        "term", "abbreviation", "synonyms"
    )
    for term, abbreviation, synonyms in rows:
        for name in [term, abbreviation, *(synonyms or [])]:
            if name:
                names.setdefault(name, None)
    return list(names)

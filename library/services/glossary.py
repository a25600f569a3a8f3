"""Glossary state changes: CSV import (all or nothing), and the linker that other apps'
texts reach through core.text_links.

CSV: one row per concept, columns per language (`GLOSSARY_COLUMNS`):

    key, en_term, en_definition, en_abbreviation, en_synonyms, es_term, ..., fr_synonyms,
    see_also, themes, sources

`synonyms`, `see_also` (other concepts' keys) and `themes` (slugs of the library's
themes, or their paths: "cash-transfers" or "social-assistance/cash-transfers") are
separated by ";"; `sources` holds works separated by "||", each "author | year | title |
URL | accessed (YYYY-MM-DD)". A row is the whole truth about its concept: a language left
empty is removed, sources, "see also" and themes are replaced (a file without a `themes`
column leaves themes as they are). Concepts not in the file are left alone. Any bad row
and nothing is written; each bad row is reported with its line and the reason.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.clock import now
from core.markdown import clean_line
from core.slugs import free_slug
from library.glossary_text import fold
from library.models import GLOSSARY_LANGUAGES, Concept, ConceptSource, ConceptTerm, Theme
from library.selectors.glossary import glossary_matcher, glossary_version

PER_LANGUAGE = ("term", "definition", "abbreviation", "synonyms")
GLOSSARY_COLUMNS: list[str] = [
    "key",
    *(f"{code}_{part}" for code in GLOSSARY_LANGUAGES for part in PER_LANGUAGE),
    "see_also",
    "themes",
    "sources",
]
MAX_DEFINITION = 5000
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")  # core.csv_export's prefix, taken off
LINKED_CACHE_SECONDS = 24 * 3600


# --- CSV ------------------------------------------------------------------------------


@dataclass
class GlossaryRow:
    line: int
    key: str
    terms: dict[str, dict[str, Any]]  # language → term, definition, abbreviation, synonyms
    see_also: list[str]
    sources: list[dict[str, Any]]
    themes: list[str] | None = None  # as written; None: the file has no themes column
    theme_ids: list[int] = field(default_factory=list)  # resolved by glossary_csv_parse


@dataclass
class GlossaryImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


class GlossaryFileError(Exception):
    """The file cannot be read at all (not UTF-8, no header, too large)."""


def _error(line: int, reason: str) -> dict[str, Any]:
    return {"where": f"line {line}", "line": line, "reason": reason}


def _cell(row: dict[str, str | None], name: str) -> str:
    value = row.get(name) or ""
    return FORMULA_GUARD.sub("", value).strip()


def _split(text: str, separator: str) -> list[str]:
    return [clean_line(part) for part in text.split(separator) if clean_line(part)]


def _source(text: str) -> dict[str, Any]:
    parts = [clean_line(p) for p in text.split("|")]
    parts += [""] * (5 - len(parts))
    if len(parts) > 5:
        raise ValueError(
            _("a source has more than 5 parts (author | year | title | URL | accessed)")
        )
    author, year, title, url, accessed = parts
    if not author or not title:
        raise ValueError(_("a source needs an author and a title"))
    source: dict[str, Any] = {"author": author[:300], "title": title[:500], "url": url}
    try:
        source["year"] = int(year) if year else None
    except ValueError:
        raise ValueError(_("a source's year is not a number: %(year)s") % {"year": year}) from None
    if source["year"] is not None and not 1000 <= source["year"] <= 2100:
        raise ValueError(_("a source's year is out of range: %(year)s") % {"year": year})
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValueError(
                _("a source's URL is not a web address: %(url)s") % {"url": url}
            ) from None
    try:
        source["accessed"] = datetime.date.fromisoformat(accessed) if accessed else None
    except ValueError:
        raise ValueError(
            _("a source's accessed date is not YYYY-MM-DD: %(date)s") % {"date": accessed}
        ) from None
    return source


def _parse_row(row: dict[str, str | None], line: int) -> GlossaryRow:
    key = _cell(row, "key")
    if not key:
        raise ValueError(_("the key is empty"))
    if not KEY.match(key) or len(key) > 100:
        raise ValueError(
            _("the key %(key)s is not lower-case letters, digits and hyphens") % {"key": key}
        )
    terms: dict[str, dict[str, Any]] = {}
    for code in GLOSSARY_LANGUAGES:
        term = clean_line(_cell(row, f"{code}_term"))
        definition = _cell(row, f"{code}_definition")
        abbreviation = clean_line(_cell(row, f"{code}_abbreviation"))
        synonyms = _split(_cell(row, f"{code}_synonyms"), ";")
        if not term:
            if definition or abbreviation or synonyms:
                raise ValueError(_("%(column)s is empty") % {"column": f"{code}_term"})
            continue
        if not definition:
            raise ValueError(_("%(column)s is empty") % {"column": f"{code}_definition"})
        if len(term) > 200 or len(abbreviation) > 40:
            raise ValueError(
                _("a term or abbreviation in %(language)s is too long") % {"language": code}
            )
        if len(definition) > MAX_DEFINITION:
            raise ValueError(
                _("the definition in %(language)s is longer than %(limit)s characters")
                % {"language": code, "limit": MAX_DEFINITION}
            )
        terms[code] = {
            "term": term,
            "definition": definition,
            "abbreviation": abbreviation,
            "synonyms": [s[:200] for s in synonyms],
        }
    if not terms:
        raise ValueError(_("the concept has no term in any language"))
    see_also = _split(_cell(row, "see_also"), ";")
    sources = [_source(part) for part in _cell(row, "sources").split("||") if part.strip()]
    themes = list(dict.fromkeys(_split(_cell(row, "themes"), ";"))) if "themes" in row else None
    return GlossaryRow(
        line=line, key=key, terms=terms, see_also=see_also, sources=sources, themes=themes
    )


def glossary_max_bytes() -> int:
    return settings.LIBRARY_GLOSSARY_MAX_BYTES


def glossary_file_too_large() -> GlossaryFileError:
    return GlossaryFileError(
        _("The file is larger than %(limit)s: glossary files up to that size are imported.")
        % {"limit": filesizeformat(glossary_max_bytes())}
    )


def glossary_file_size_check(size: int | None) -> None:
    """Refuse a glossary file by its size, before anything reads it."""
    if size is not None and size > glossary_max_bytes():
        raise glossary_file_too_large()


def glossary_csv_parse(data: bytes) -> tuple[list[GlossaryRow], list[dict[str, Any]]]:
    """Every row of a glossary CSV checked; (rows, errors). Raises GlossaryFileError
    when the file cannot be read as a glossary at all."""
    glossary_file_size_check(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryFileError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if "key" not in header or not any(name.endswith("_term") for name in header):
        raise GlossaryFileError(
            _("The first line must name the columns: key, en_term, en_definition, …")
        )
    unknown = sorted(set(header) - set(GLOSSARY_COLUMNS))
    if unknown:
        raise GlossaryFileError(_("Unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
    reader.fieldnames = header
    rows: list[GlossaryRow] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    terms_seen: dict[tuple[str, str], tuple[str, int]] = {}
    start = 2
    try:
        for raw in reader:
            line, start = start, reader.line_num + 1
            if None in raw:
                errors.append(_error(line, _("more cells than columns")))
                continue
            try:
                row = _parse_row(raw, line)
            except ValueError as error:
                errors.append(_error(line, str(error)))
                continue
            if row.key in seen:
                errors.append(
                    _error(
                        line,
                        _("the key %(key)s is already on line %(other)s")
                        % {"key": row.key, "other": seen[row.key]},
                    )
                )
                continue
            duplicate = _duplicate_term(row, terms_seen)
            if duplicate:
                errors.append(_error(line, duplicate))
                continue
            seen[row.key] = line
            rows.append(row)
    except csv.Error as error:
        errors.append(_error(reader.line_num, str(error)))
    known = seen.keys() | set(Concept.objects.values_list("key", flat=True))
    themes = theme_lookup()
    for row in rows:
        missing = [key for key in row.see_also if key not in known]
        if missing:
            errors.append(
                _error(
                    row.line,
                    _("see_also names unknown concepts: %(keys)s") % {"keys": ", ".join(missing)},
                )
            )
        unknown = [name for name in row.themes or [] if name.casefold() not in themes]
        if unknown:
            errors.append(
                _error(
                    row.line,
                    _("themes names unknown themes: %(themes)s (use the slugs of the theme tree)")
                    % {"themes": ", ".join(unknown)},
                )
            )
        else:
            row.theme_ids = sorted({themes[name.casefold()] for name in row.themes or []})
    errors.sort(key=lambda e: e["line"])
    return rows, errors


def theme_lookup() -> dict[str, int]:
    """Each theme's slug and path (case folded) → its id: what a themes cell may name."""
    found: dict[str, int] = {}
    for pk, slug, path in Theme.objects.values_list("pk", "slug", "path"):
        found[slug.casefold()] = found[path.casefold()] = pk
    return found


def _duplicate_term(row: GlossaryRow, seen: dict[tuple[str, str], tuple[str, int]]) -> str:
    for code, entry in row.terms.items():
        folded = (code, fold(entry["term"]))
        if folded in seen and seen[folded][0] != row.key:
            return _("the term %(term)s (%(language)s) is already on line %(other)s") % {
                "term": entry["term"],
                "language": code,
                "other": seen[folded][1],
            }
    for code, entry in row.terms.items():
        seen[(code, fold(entry["term"]))] = (row.key, row.line)
    return ""


def _stored_row(concept: Concept) -> tuple:
    """A stored concept in the shape of a parsed row, to tell whether an import changes it."""
    terms = {
        t.language: {
            "term": t.term,
            "definition": t.definition,
            "abbreviation": t.abbreviation,
            "synonyms": list(t.synonyms),
        }
        for t in concept.terms.all()
    }
    sources = [
        {"author": s.author, "title": s.title, "url": s.url, "year": s.year, "accessed": s.accessed}
        for s in concept.sources.all()
    ]
    see_also = sorted(c.key for c in concept.see_also.all())
    return terms, see_also, sources, sorted(t.pk for t in concept.themes.all())


def _wanted_row(row: GlossaryRow, stored: tuple) -> tuple:
    """A parsed row in _stored_row's shape (themes as stored when the file has none)."""
    themes = stored[3] if row.themes is None else row.theme_ids
    return row.terms, sorted(row.see_also), row.sources, themes


def glossary_term_slug(term: str, *, taken: Callable[[str], bool]) -> str:
    """A new term's page address in its language, made from the term: "cash-transfer",
    "cash-transfer-2" when `taken`. It is never changed afterwards."""
    return free_slug(
        term,
        taken=taken,
        reserved=(),  # a language's terms are alone under /library/glossary/<language>/
        max_length=ConceptTerm._meta.get_field("slug").max_length or 120,
        fallback="term",
    )


def glossary_import(*, actor: Any, data: bytes) -> GlossaryImportResult:
    """Import a glossary CSV (staff only; `actor=None` is the command line). All rows are
    written, or, if any row is bad, none. Running the same file twice changes nothing."""
    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff can import the glossary."))
    rows, errors = glossary_csv_parse(data)
    if errors or not rows:
        return GlossaryImportResult(errors=errors)
    try:
        return _glossary_write(rows)
    except IntegrityError:
        # Another import (or an edit in the admin) stored one of these concepts or
        # addresses after this one read them: read again, and find them this time.
        return _glossary_write(rows)


def _glossary_write(rows: list[GlossaryRow]) -> GlossaryImportResult:
    result = GlossaryImportResult()
    at = now()
    with transaction.atomic():
        existing = {
            c.key: c
            for c in Concept.objects.select_for_update()
            .filter(key__in=[r.key for r in rows])
            .prefetch_related("terms", "sources", "see_also", "themes")
        }
        conflict = _term_conflicts(rows) or _themes_gone(rows)
        if conflict:
            result.errors = conflict
            return result
        slugs = {
            code: set(ConceptTerm.objects.filter(language=code).values_list("slug", flat=True))
            for code in GLOSSARY_LANGUAGES
        }
        changed: list[tuple[Concept, GlossaryRow]] = []
        for row in rows:
            concept = existing.get(row.key)
            if concept is None:
                concept = Concept.objects.create(key=row.key, created_at=at, updated_at=at)
                result.created += 1
            elif (stored := _stored_row(concept)) == _wanted_row(row, stored):
                result.unchanged += 1
                continue
            else:
                concept.updated_at = at
                concept.save(update_fields=["updated_at"])
                result.updated += 1
            _write_terms(concept, row, slugs, at)
            ConceptSource.objects.filter(concept=concept).delete()
            ConceptSource.objects.bulk_create(
                ConceptSource(concept=concept, position=n, **source)
                for n, source in enumerate(row.sources)
            )
            if row.themes is not None:
                concept.themes.set(row.theme_ids)
            changed.append((concept, row))
        by_key = {
            c.key: c
            for c in Concept.objects.filter(key__in={k for _c, r in changed for k in r.see_also})
        }
        for concept, row in changed:
            concept.see_also.set([by_key[k] for k in row.see_also if k != concept.key])
        transaction.on_commit(glossary_changed)
    return result


def _term_conflicts(rows: list[GlossaryRow]) -> list[dict[str, Any]]:
    """Terms of the file that another stored concept (not in the file) already uses."""
    keys = {r.key for r in rows}
    stored: dict[tuple[str, str], str] = {}
    for language, term, key in ConceptTerm.objects.exclude(concept__key__in=keys).values_list(
        "language", "term", "concept__key"
    ):
        stored[(language, fold(term))] = key
    errors = []
    for row in rows:
        for code, entry in row.terms.items():
            other = stored.get((code, fold(entry["term"])))
            if other:
                errors.append(
                    _error(
                        row.line,
                        _("the term %(term)s (%(language)s) belongs to the concept %(key)s")
                        % {"term": entry["term"], "language": code, "key": other},
                    )
                )
    return errors


def _themes_gone(rows: list[GlossaryRow]) -> list[dict[str, Any]]:
    """Rows naming a theme that was deleted after the file was checked. The themes that
    remain are locked until the import commits, so none can go while it writes."""
    wanted = {pk for row in rows for pk in row.theme_ids}
    present = set(
        Theme.objects.select_for_update().filter(pk__in=wanted).values_list("pk", flat=True)
    )
    return [
        _error(row.line, _("a theme this row names was deleted while importing; import again"))
        for row in rows
        if set(row.theme_ids) - present
    ]


def _write_terms(
    concept: Concept, row: GlossaryRow, slugs: dict[str, set[str]], at: datetime.datetime
) -> None:
    current = {t.language: t for t in concept.terms.all()} if concept.pk else {}
    for code in GLOSSARY_LANGUAGES:
        entry = row.terms.get(code)
        term = current.get(code)
        if entry is None:
            if term is not None:
                term.delete()
            continue
        if term is None:
            slug = glossary_term_slug(entry["term"], taken=slugs[code].__contains__)
            slugs[code].add(slug)
            term = ConceptTerm(concept=concept, language=code, slug=slug)
        for name, value in entry.items():
            setattr(term, name, value)
        term.updated_at = at
        term.save()


def glossary_export_rows() -> Iterator[list[Any]]:
    """The whole glossary as CSV rows (GLOSSARY_COLUMNS), one per concept; five queries
    per 500 concepts (concepts, then their terms, sources, "see also" and themes)."""
    concepts = Concept.objects.prefetch_related("terms", "sources", "see_also", "themes").order_by(
        "key"
    )
    for concept in concepts.iterator(chunk_size=500):
        terms = {t.language: t for t in concept.terms.all()}
        row: list[Any] = [concept.key]
        for code in GLOSSARY_LANGUAGES:
            t = terms.get(code)
            row += (
                [t.term, t.definition, t.abbreviation, "; ".join(t.synonyms)]
                if t
                else ["", "", "", ""]
            )
        row.append("; ".join(sorted(c.key for c in concept.see_also.all())))
        row.append("; ".join(sorted(t.slug for t in concept.themes.all())))
        row.append(
            " || ".join(
                " | ".join(
                    [
                        s.author,
                        str(s.year or ""),
                        s.title,
                        s.url,
                        s.accessed.isoformat() if s.accessed else "",
                    ]
                )
                for s in concept.sources.all()
            )
        )
        yield row


# --- Linking ---------------------------------------------------------------------------


def glossary_changed(**_kwargs: Any) -> None:
    """The glossary changed in this process: look at its version again before the next
    text is linked (other processes notice within selectors.glossary.REFRESH_SECONDS)."""
    from library.selectors import glossary as selectors

    selectors.glossary_state_reset()


def glossary_link_html(html: str, language: str = "") -> str:
    """Core's text linker: `html` (sanitised) with the first occurrence of each glossary
    concept linked to its page; `language` "" matches every language's terms. Cached
    per text, language and glossary version."""
    from library.glossary_text import link_terms

    version = glossary_version()
    digest = hashlib.blake2b(html.encode(), digest_size=16).hexdigest()
    key = f"glossary-linked:{version}:{language}:{digest}"
    linked = cache.get(key)
    if linked is None:
        matcher = glossary_matcher(language)
        linked = link_terms(html, matcher) if matcher.size else html
        cache.set(key, linked, LINKED_CACHE_SECONDS)
    return linked

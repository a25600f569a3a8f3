"""Importing publication records from CSV, RIS (Zotero, EndNote, Mendeley) and BibTeX.

Each record is matched to an existing publication by DOI, then by normalised title:
a match with the same metadata is skipped, a match with different metadata updated, no
match created. Running the same file twice changes nothing the second time. What staff
import is published at once (they vouch for the file); a member's import goes to review.

A record that cannot be read (a broken RIS line, a BibTeX entry with unbalanced braces, a
missing title, a bad date) is not imported and is listed with where and why; every other
record is. Each record is written in its own transaction, so none is half-written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from core.clock import now
from library.models import (
    Programme,
    Publication,
    PublicationTransition,
    Theme,
    Work,
    normalise_doi,
    normalise_title,
)
from library.services.publications import (
    PublicationData,
    _write,
    can_review,
    publication_data_clean,
    regions_with_countries,
    themes_with_ancestors,
)
from members.models import Organization

FORMATS = ("csv", "ris", "bibtex")
LIST_SPLIT = re.compile(r"\s*;\s*")


class ImportUnreadable(Exception):
    """The file as a whole cannot be read (missing, not text, no header): one line why."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "errors": self.errors,
        }


@dataclass
class Record:
    where: str
    fields: dict[str, Any]
    work_key: str = ""
    strict_themes: bool = False  # CSV names themes on purpose; BibTeX keywords may be anything
    # What this source does not carry (a CSV without the column; RIS has no licence): an
    # update leaves those fields of the matched publication as staff left them.
    absent: frozenset[str] = frozenset()


def format_for(path: str, given: str | None) -> str:
    if given:
        return given
    lower = path.lower()
    if lower.endswith(".ris"):
        return "ris"
    if lower.endswith((".bib", ".bibtex")):
        return "bibtex"
    return "csv"


def read_text(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise ImportUnreadable("the file is binary, not CSV, RIS or BibTeX text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportUnreadable("the file is not UTF-8 or Windows-1252 text")


# --- parsers: text → records and errors ----------------------------------------------

CSV_COLUMNS = {
    "title",
    "abstract",
    "authors",
    "organizations",
    "date",
    "year",
    "month",
    "day",
    "type",
    "language",
    "themes",
    "countries",
    "regions",
    "doi",
    "isbn",
    "url",
    "licence",
    "work",
    "programmes",
}


# Fields an update leaves as they are when the source does not carry them.
KEPT_WHEN_ABSENT = frozenset(
    {"abstract", "authors", "organizations", "themes", "countries", "regions", "licence"}
    | {"doi", "isbn", "url"}
)


def parse_csv(text: str) -> tuple[list[Record], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "title" not in header:
        raise ImportUnreadable("the CSV has no header row with a 'title' column")
    reader.fieldnames = header
    records: list[Record] = []
    errors: list[dict[str, str]] = []
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if None in row:
                errors.append({"where": where, "reason": "more cells than columns"})
                continue
            values = {k: (v or "").strip() for k, v in row.items() if k in CSV_COLUMNS}
            fields: dict[str, Any] = {
                "title": values.get("title", ""),
                "abstract": values.get("abstract", ""),
                "authors": [a for a in LIST_SPLIT.split(values.get("authors", "")) if a],
                "organizations": [
                    o for o in LIST_SPLIT.split(values.get("organizations", "")) if o
                ],
                "type": values.get("type", ""),
                "language": values.get("language", ""),
                "themes": [t for t in LIST_SPLIT.split(values.get("themes", "")) if t],
                "countries": re.split(r"[\s;,]+", values.get("countries", "").strip())
                if values.get("countries")
                else [],
                "regions": [r for r in LIST_SPLIT.split(values.get("regions", "")) if r],
                "doi": values.get("doi", ""),
                "isbn": values.get("isbn", ""),
                "url": values.get("url", ""),
                "licence": values.get("licence", ""),
                "date": values.get("date", ""),
                "year": values.get("year", ""),
                "month": values.get("month", ""),
                "day": values.get("day", ""),
                # Programme slugs; no column: the publication's programmes are left alone.
                "programmes": [p for p in LIST_SPLIT.split(values["programmes"]) if p]
                if "programmes" in values
                else None,
            }
            records.append(
                Record(
                    where=where,
                    fields=fields,
                    work_key=values.get("work", ""),
                    strict_themes=True,
                    absent=KEPT_WHEN_ABSENT - set(header),
                )
            )
    except csv.Error as error:
        errors.append({"where": f"line {reader.line_num}", "reason": f"CSV: {error}"})
    return records, errors


RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
RIS_TYPES = {
    "RPRT": "report",
    "JOUR": "journal_article",
    "EJOUR": "journal_article",
    "CASE": "case_study",
    "SLIDE": "presentation",
    "BOOK": "report",
    "CHAP": "report",
    "GEN": "report",
    "ELEC": "report",
}


def parse_ris(text: str) -> tuple[list[Record], list[dict[str, str]]]:
    records: list[Record] = []
    errors: list[dict[str, str]] = []
    current: dict[str, list[str]] | None = None
    start = 0
    broken: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        match = RIS_LINE.match(line)
        if match is None:
            if current is None:
                errors.append({"where": f"line {number}", "reason": "text outside a record"})
            else:
                broken.append(f"line {number}")
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                errors.append(
                    {
                        "where": f"line {start}",
                        "reason": "record has no end (ER) before the next TY",
                    }
                )
            current, start, broken = {"TY": [value]}, number, []
            continue
        if current is None:
            errors.append({"where": f"line {number}", "reason": f"{tag} before any TY line"})
            continue
        if tag == "ER":
            if broken:
                errors.append(
                    {
                        "where": f"record at line {start}",
                        "reason": "not imported: unreadable lines " + ", ".join(broken),
                    }
                )
            else:
                records.append(_ris_record(current, f"record at line {start}"))
            current, broken = None, []
            continue
        current.setdefault(tag, []).append(value)
    if current is not None:
        errors.append(
            {"where": f"record at line {start}", "reason": "file ends inside the record (no ER)"}
        )
    return records, errors


def _ris_record(tags: dict[str, list[str]], where: str) -> Record:
    def first(*names: str) -> str:
        for name in names:
            if tags.get(name):
                return tags[name][0]
        return ""

    date = first("DA", "PY", "Y1")
    return Record(
        where=where,
        absent=frozenset({"themes", "countries", "regions", "licence"}),
        fields={
            "title": first("TI", "T1", "CT", "BT"),
            "abstract": " ".join(tags.get("AB", []) + tags.get("N2", [])),
            "authors": tags.get("AU", []) + tags.get("A1", []),
            "organizations": tags.get("A2", []) + tags.get("PB", []),
            "type": RIS_TYPES.get(first("TY"), "report"),
            "language": first("LA"),
            "themes": [],
            "countries": [],
            "regions": [],
            "doi": first("DO"),
            "isbn": first("SN") if re.sub(r"[\s-]", "", first("SN")).isdigit() else "",
            "url": first("UR", "L2"),
            "licence": "",
            "date": date.replace("/", "-").strip("-"),
            "year": "",
            "month": "",
            "day": "",
        },
    )


BIB_TYPES = {
    "article": "journal_article",
    "techreport": "report",
    "report": "report",
    "book": "report",
    "misc": "report",
    "unpublished": "working_paper",
    "inproceedings": "journal_article",
}
LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "portuguese": "pt",
    "arabic": "ar",
}


def _bib_value(value: str) -> str:
    return " ".join(re.sub(r"(?<!\\)[{}]", "", value).replace("\\&", "&").split())


def _bib_failure(block) -> str:
    error = getattr(block, "error", None)
    detail = (str(error).strip().splitlines() or [""])[0] if error is not None else ""
    if not detail or "aborted" in detail.lower():
        detail = "unbalanced braces or a missing closing brace"
    return f"entry not imported: {detail}"


def parse_bibtex(text: str) -> tuple[list[Record], list[dict[str, str]]]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    errors = [
        {"where": f"line {(block.start_line or 0) + 1}", "reason": _bib_failure(block)}
        for block in library.failed_blocks
    ]
    records = []
    for entry in library.entries:
        fields = {k.lower(): _bib_value(str(f.value)) for k, f in entry.fields_dict.items()}
        kind = BIB_TYPES.get(entry.entry_type.lower(), "report")
        if "working" in fields.get("type", "").lower():
            kind = "working_paper"
        records.append(
            Record(
                where=f"entry {entry.key} (line {(entry.start_line or 0) + 1})",
                # Keywords are themes only where they name one (see _data).
                absent=frozenset({"countries", "regions", "licence"}),
                fields={
                    "title": fields.get("title", ""),
                    "abstract": fields.get("abstract", ""),
                    "authors": [
                        a.strip()
                        for a in re.split(r"\s+and\s+", fields.get("author", ""))
                        if a.strip()
                    ],
                    "organizations": [
                        o
                        for o in (
                            fields.get("institution", ""),
                            fields.get("publisher", ""),
                            fields.get("organization", ""),
                        )
                        if o
                    ],
                    "type": kind,
                    "language": fields.get("language", ""),
                    "themes": [k for k in LIST_SPLIT.split(fields.get("keywords", "")) if k],
                    "countries": [],
                    "regions": [],
                    "doi": fields.get("doi", ""),
                    "isbn": fields.get("isbn", ""),
                    "url": fields.get("url", ""),
                    "licence": "",
                    "date": "",
                    "year": fields.get("year", ""),
                    "month": fields.get("month", ""),
                    "day": "",
                },
            )
        )
    return records, errors


PARSERS = {"csv": parse_csv, "ris": parse_ris, "bibtex": parse_bibtex}

# --- records → publications ----------------------------------------------------------

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}


def _int_or_none(value: str, name: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if value[:3].lower() in MONTHS and name == "month":
        return MONTHS[value[:3].lower()]
    if not value.isdigit():
        raise ValidationError({name: f"{name} is not a number: {value!r}"})
    return int(value)


def _date(fields: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    text = str(fields.get("date") or "").strip()
    if text:
        match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
        if not match:
            raise ValidationError({"year": f"date not understood: {text!r}"})
        year, month, day = (int(g) if g else None for g in match.groups())
        return year, month, day
    return (
        _int_or_none(fields.get("year", ""), "year"),
        _int_or_none(fields.get("month", ""), "month"),
        _int_or_none(fields.get("day", ""), "day"),
    )


class _Lookups:
    """Organizations, themes: loaded once per import, not per record."""

    def __init__(self):
        self.orgs = {}
        for org in Organization.objects.all():
            self.orgs[org.slug.lower()] = org.pk
            self.orgs[org.name.casefold()] = org.pk
        self.themes = {}
        for theme in Theme.objects.all():
            for key in (theme.slug, theme.path, theme.name_en, theme.name_es, theme.name_fr):
                if key:
                    self.themes[key.casefold()] = theme.pk
        self.programmes = {
            slug.casefold(): pk for pk, slug in Programme.objects.values_list("pk", "slug")
        }

    def organization_ids(self, names: list[str]) -> list[int]:
        ids = []
        for name in names:
            key = name.strip()
            found = self.orgs.get(key.casefold()) or self.orgs.get(key.lower())
            if found is None:
                base = slugify(key)[:70] or "organization"
                slug, n = base, 1
                while Organization.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{base}-{n}"
                org = Organization.objects.create(name=key[:200], slug=slug)
                found = self.orgs[key.casefold()] = org.pk
            ids.append(found)
        return ids

    def programme_ids(self, slugs: list[str] | None) -> list[int] | None:
        if slugs is None:
            return None
        unknown = [s for s in slugs if s.strip().casefold() not in self.programmes]
        if unknown:
            raise ValidationError({"programmes": "unknown programmes: " + ", ".join(unknown)})
        return sorted({self.programmes[s.strip().casefold()] for s in slugs})

    def theme_ids(self, names: list[str]) -> tuple[list[int], list[str]]:
        ids, unknown = [], []
        for name in names:
            found = self.themes.get(name.strip().casefold())
            if found is None:
                unknown.append(name)
            else:
                ids.append(found)
        return ids, unknown


def _data(record: Record, lookups: _Lookups) -> tuple[PublicationData, list[int]]:
    f = record.fields
    language = str(f.get("language") or "en").strip().lower()
    language = LANGUAGE_NAMES.get(language, language[:2] if len(language) >= 2 else "en")
    if language not in Publication.Language.values:
        language = Publication.Language.OTHER
    kind = str(f.get("type") or "report").strip().lower().replace(" ", "_")
    licence = str(f.get("licence") or "unknown").strip().lower()
    year, month, day = _date(f)
    theme_ids, unknown = lookups.theme_ids(f.get("themes", []))
    if unknown and record.strict_themes:
        raise ValidationError({"themes": "unknown themes: " + ", ".join(unknown)})
    if not theme_ids and not record.strict_themes:
        record.absent |= {"themes"}  # keywords, none of them a theme: not a statement
    data = PublicationData(
        title=f.get("title", ""),
        kind=kind,
        language=language,
        abstract=f.get("abstract", ""),
        authors=list(f.get("authors", [])),
        organization_ids=[],
        year=year,
        month=month,
        day=day,
        theme_ids=theme_ids,
        countries=list(f.get("countries", [])),
        regions=list(f.get("regions", [])),
        doi=f.get("doi", ""),
        isbn=f.get("isbn", ""),
        url=f.get("url", ""),
        licence=licence,
        programme_ids=lookups.programme_ids(f.get("programmes")),
    )
    return publication_data_clean(data), lookups.organization_ids(list(f.get("organizations", [])))


def _signature(publication: Publication | None, data: PublicationData) -> tuple:
    """What an import sets, to tell an unchanged record (skipped) from a changed one."""
    if publication is None:
        return ()
    return (
        publication.title,
        publication.abstract,
        publication.kind,
        publication.language,
        publication.year,
        publication.month,
        publication.day,
        publication.doi,
        publication.isbn,
        publication.url,
        publication.licence,
        tuple(a.name for a in publication.authors.all()),
        tuple(sorted(o.pk for o in publication.organizations.all())),
        tuple(sorted(c.country for c in publication.country_rows.all())),
        tuple(sorted(r.region for r in publication.region_rows.all())),
        tuple(sorted(t.pk for t in publication.themes.all())),
        None if data.programme_ids is None else sorted(p.pk for p in publication.programmes.all()),
    )


def _wanted(data: PublicationData) -> tuple:
    return (
        data.title,
        data.abstract,
        data.kind,
        data.language,
        data.year,
        data.month,
        data.day,
        data.doi,
        data.isbn,
        data.url,
        data.licence,
        tuple(data.authors),
        tuple(sorted(data.organization_ids)),
        tuple(sorted(data.countries)),
        tuple(regions_with_countries(data.regions, data.countries)),
        tuple(sorted(themes_with_ancestors(data.theme_ids))),
        data.programme_ids,
    )


def _keep_absent(existing: Publication, data: PublicationData, absent: frozenset[str]) -> None:
    """What the record does not carry, the matched publication keeps."""
    for name in ("abstract", "licence", "doi", "isbn", "url"):
        if name in absent:
            setattr(data, name, getattr(existing, name))
    if "authors" in absent:
        data.authors = [a.name for a in existing.authors.all()]
    if "organizations" in absent:
        data.organization_ids = [o.pk for o in existing.organizations.all()]
    if "themes" in absent:
        data.theme_ids = [t.pk for t in existing.themes.all()]
    if "countries" in absent:
        data.countries = [c.country for c in existing.country_rows.all()]
    if "regions" in absent:
        data.regions = [r.region for r in existing.region_rows.all()]


def _match(data: PublicationData) -> Publication | None:
    if data.doi:
        found = Publication.objects.filter(doi=normalise_doi(data.doi)).order_by("pk").first()
        if found is not None:
            return found
    return (
        Publication.objects.filter(
            normalised_title=normalise_title(data.title), language=data.language
        )
        .order_by("pk")
        .first()
    )


def publications_import(*, text: str, fmt: str, actor=None) -> ImportReport:
    """Import `text` in format `fmt` (csv, ris, bibtex). `actor` None (the command line,
    run by an operator) or staff: published at once; a member: submitted for review."""
    from library.search.service import search_index

    if fmt not in FORMATS:
        raise ImportUnreadable(f"unknown format {fmt!r} (use csv, ris or bibtex)")
    publish = actor is None or can_review(actor)
    records, errors = PARSERS[fmt](text)
    report = ImportReport(errors=list(errors))
    lookups = _Lookups()
    works: dict[str, int] = {}
    touched: list[int] = []
    for record in records:
        try:
            with transaction.atomic():
                data, org_ids = _data(record, lookups)
                data.organization_ids = org_ids
                existing = _match(data)
                if existing is not None:
                    _keep_absent(existing, data, record.absent)
                    if _signature(existing, data) == _wanted(data):
                        report.skipped += 1
                        if record.work_key:
                            works.setdefault(record.work_key, existing.work_id)
                        continue
                    _write(existing, data)
                    PublicationTransition.objects.create(
                        publication=existing,
                        actor=actor,
                        action=PublicationTransition.Action.IMPORT,
                        from_status=existing.status,
                        to_status=existing.status,
                        note="updated by import",
                        at=now(),
                    )
                    report.updated += 1
                    touched.append(existing.pk)
                    continue
                work_id = works.get(record.work_key) if record.work_key else None
                if (
                    work_id is not None
                    and Publication.objects.filter(work_id=work_id, language=data.language).exists()
                ):
                    work_id = None  # two rows in one language: separate works
                if work_id is None:
                    work_id = Work.objects.create().pk
                if record.work_key:
                    works.setdefault(record.work_key, work_id)
                stamp = now()
                publication = Publication(
                    work_id=work_id,
                    submitter=actor,
                    status=Publication.Status.PUBLISHED
                    if publish
                    else Publication.Status.SUBMITTED,
                    created_at=stamp,
                    published_at=stamp if publish else None,
                    check_metadata=publish,
                    check_taxonomy=publish,
                    check_licence=publish,
                )
                _write(publication, data)
                PublicationTransition.objects.create(
                    publication=publication,
                    actor=actor,
                    action=PublicationTransition.Action.IMPORT,
                    from_status="",
                    to_status=publication.status,
                    at=stamp,
                )
                report.created += 1
                touched.append(publication.pk)
        except ValidationError as error:
            reasons = (
                [f"{k}: {'; '.join(v)}" for k, v in error.message_dict.items()]
                if hasattr(error, "error_dict")
                else error.messages
            )
            report.errors.append({"where": record.where, "reason": "; ".join(reasons)})
    report.errors.sort(key=_position)
    for start in range(0, len(touched), 500):
        search_index(touched[start : start + 500])
    return report


def _position(error: dict[str, str]) -> int:
    """Errors in file order: by the first line number their `where` names."""
    found = re.search(r"line (\d+)", error["where"])
    return int(found.group(1)) if found else 0

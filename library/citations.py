"""Citations of a publication: RIS (Zotero, EndNote, Mendeley), BibTeX and one plain-text
line. Pure functions of a publication with its authors and organizations loaded."""

from __future__ import annotations

import re

from core.links import absolute_url
from library.models import Publication

RIS_TYPES = {
    "report": "RPRT",
    "working_paper": "RPRT",
    "policy_brief": "RPRT",
    "journal_article": "JOUR",
    "toolkit": "GEN",
    "evaluation": "RPRT",
    "case_study": "CASE",
    "presentation": "SLIDE",
}
BIBTEX_TYPES = {"journal_article": "article", "working_paper": "techreport", "report": "techreport"}


def _people(publication: Publication) -> list[str]:
    return [a.name for a in publication.authors.all()]


def _orgs(publication: Publication) -> list[str]:
    return [o.name for o in publication.organizations.all()]


def _page_url(publication: Publication) -> str:
    from django.urls import reverse

    return absolute_url(reverse("library:detail", args=[publication.pk]))


def _line(text: str) -> str:
    return " ".join(str(text).split())


def ris(publication: Publication) -> str:
    lines = [f"TY  - {RIS_TYPES.get(publication.kind, 'GEN')}", f"TI  - {_line(publication.title)}"]
    lines += [f"AU  - {_line(name)}" for name in _people(publication)]
    lines += [f"A2  - {_line(name)}" for name in _orgs(publication)]
    if publication.year:
        lines.append(f"PY  - {publication.year}")
        if publication.month:
            lines.append(
                f"DA  - {publication.year}/{publication.month:02d}/{publication.day or ''}"
            )
    if publication.abstract:
        lines.append(f"AB  - {_line(publication.abstract)}")
    lines.append(f"LA  - {publication.language}")
    if publication.doi:
        lines.append(f"DO  - {publication.doi}")
    if publication.isbn:
        lines.append(f"SN  - {publication.isbn}")
    lines.append(f"UR  - {publication.url or _page_url(publication)}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def _bib_escape(text: str) -> str:
    text = _line(text)
    text = text.replace("\\", r"\textbackslash{}")
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def bibtex_key(publication: Publication) -> str:
    people = _people(publication)
    first = (people[0].split(",")[0].split()[-1] if people else "baraza") or "baraza"
    base = re.sub(r"[^A-Za-z0-9]", "", first).lower() or "baraza"
    return f"{base}{publication.year or ''}_{publication.pk}"


def bibtex(publication: Publication) -> str:
    kind = BIBTEX_TYPES.get(publication.kind, "misc")
    fields = [("title", publication.title)]
    if _people(publication):
        fields.append(("author", " and ".join(_people(publication))))
    if _orgs(publication):
        field = "institution" if kind == "techreport" else "publisher"
        fields.append((field, "; ".join(_orgs(publication))))
    if publication.year:
        fields.append(("year", str(publication.year)))
    if publication.month:
        fields.append(("month", str(publication.month)))
    if publication.doi:
        fields.append(("doi", publication.doi))
    if publication.isbn:
        fields.append(("isbn", publication.isbn))
    fields.append(("url", publication.url or _page_url(publication)))
    fields.append(("language", publication.language))
    body = ",\n".join(f"  {name} = {{{_bib_escape(value)}}}" for name, value in fields)
    return f"@{kind}{{{bibtex_key(publication)},\n{body}\n}}\n"


def plain(publication: Publication) -> str:
    """Authors (Year). Title. Type. Organizations. DOI or URL."""
    who = ", ".join(_people(publication)) or "; ".join(_orgs(publication))
    parts = []
    if who:
        parts.append(f"{who} ({publication.year or 'n.d.'}).")
    elif publication.year:
        parts.append(f"({publication.year}).")
    parts.append(f"{_line(publication.title)}.")
    parts.append(f"{publication.get_kind_display()}.")
    if who and _orgs(publication) and _people(publication):
        parts.append(f"{'; '.join(_orgs(publication))}.")
    if publication.doi:
        parts.append(f"https://doi.org/{publication.doi}")
    else:
        parts.append(publication.url or _page_url(publication))
    return " ".join(parts)

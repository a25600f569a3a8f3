"""Programme profiles: creating one (staff; the admin edits them afterwards) and its
coverage figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from core.clock import now
from core.slugs import free_slug
from library.models import Programme, ProgrammeCoverage

PROGRAMME_FIELDS = {
    "name",
    "name_language",
    "name_en",
    "country",
    "kind",
    "start_year",
    "implementing_agency",
    "target_group_en",
    "target_group_es",
    "target_group_fr",
    "summary_en",
    "summary_es",
    "summary_fr",
    "website",
}


def _check(fields: dict[str, Any]) -> None:
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if not (fields.get("name_en") or "").strip():
        errors["name_en"] = _("Give the programme's name in English.")
    if fields.get("country") not in dict(countries):
        errors["country"] = _("Choose a country.")
    if fields.get("kind") not in Programme.Kind.values:
        errors["kind"] = _("Choose a type of programme.")
    year = fields.get("start_year")
    if year is not None and not 1850 <= int(year) <= now().year:
        errors["start_year"] = _("The start year is not a year that has come.")
    if errors:
        raise ValidationError(errors)


def programme_create(
    *,
    actor: Any,
    publications: list | None = None,
    webinars: list | None = None,
    communities: list | None = None,
    **fields: Any,
) -> Programme:
    """A new profile (staff only; `actor=None` is the demo data or the command line)."""
    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff can add programme profiles."))
    _check(fields)
    fields.setdefault("name", fields["name_en"])
    with transaction.atomic():
        slug = free_slug(
            fields["name_en"],
            taken=lambda s: Programme.objects.filter(slug=s).exists(),
            reserved={"countries"},
            max_length=120,
            fallback="programme",
        )
        programme = Programme.objects.create(slug=slug, **fields)
        programme.publications.set(publications or [])
        programme.webinars.set(webinars or [])
        programme.communities.set(communities or [])
    return programme


def programme_coverage_record(
    *,
    actor: Any,
    programme: Programme,
    year: int,
    figure: int,
    unit: str,
    source: str,
    source_url: str = "",
) -> ProgrammeCoverage:
    """Record (or correct) how many the programme reached in `year`; a source is required."""
    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff can record coverage."))
    if not source.strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    if unit not in ProgrammeCoverage.Unit.values or figure < 0:
        raise ValidationError({"figure": _("Give a number of households or people.")})
    coverage, _created = ProgrammeCoverage.objects.update_or_create(
        programme=programme,
        year=year,
        unit=unit,
        defaults={"figure": figure, "source": source.strip(), "source_url": source_url},
    )
    return coverage

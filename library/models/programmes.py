"""Country social-protection programmes (a conditional cash transfer, a social pension):
what they are called at home and in English, who runs them, whom they reach and how
many, and where the platform talks about them (publications, webinars, communities).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from communities.models import Community
from core.clock import now
from library.models.publications import Publication
from webinars.models import Webinar

__all__ = ["Programme", "ProgrammeCoverage"]


class Programme(models.Model):
    class Kind(models.TextChoices):
        CONDITIONAL_CASH = "cct", _("Conditional cash transfer")
        UNCONDITIONAL_CASH = "uct", _("Unconditional cash transfer")
        SOCIAL_PENSION = "pension", _("Social pension")
        CHILD_GRANT = "child", _("Child grant")
        PUBLIC_WORKS = "works", _("Public works")
        SCHOOL_FEEDING = "feeding", _("School feeding")
        SOCIAL_INSURANCE = "insurance", _("Social insurance")
        GRADUATION = "graduation", _("Graduation programme")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    name = models.CharField(_("name in its own language"), max_length=200)
    name_language = models.CharField(_("language of the name"), max_length=8, default="en")
    name_en = models.CharField(_("name in English"), max_length=200)
    country = CountryField(_("country"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    implementing_agency = models.CharField(_("implementing agency"), max_length=300, blank=True)
    # Written per language, shown in the reader's (core.languages.pick).
    target_group_en = models.CharField(_("target group (English)"), max_length=300, blank=True)
    target_group_es = models.CharField(_("target group (Spanish)"), max_length=300, blank=True)
    target_group_fr = models.CharField(_("target group (French)"), max_length=300, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    # Publications about it (a publication's page lists them as `publication.programmes`).
    publications = models.ManyToManyField(
        Publication, verbose_name=_("publications"), blank=True, related_name="programmes"
    )
    webinars = models.ManyToManyField(
        Webinar, verbose_name=_("webinars"), blank=True, related_name="+"
    )
    communities = models.ManyToManyField(
        Community, verbose_name=_("communities"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name_en


class ProgrammeCoverage(models.Model):
    """How many a programme reached in a year, and who says so."""

    class Unit(models.TextChoices):
        HOUSEHOLDS = "households", _("households")
        PEOPLE = "people", _("people")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coverage")
    year = models.PositiveSmallIntegerField(_("year"))
    figure = models.PositiveBigIntegerField(_("figure"))
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    class Meta:
        ordering = ["programme", "-year", "unit"]
        verbose_name = _("programme coverage")
        verbose_name_plural = _("programme coverage")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "unit"], name="one_coverage_figure_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}: {self.figure} {self.unit}"

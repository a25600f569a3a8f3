"""The trilingual glossary: a concept, and per language (en/es/fr) its own term and
definition written in that language (not a translation of the English), its
abbreviation and synonyms; the sources it rests on; "see also" links between concepts;
the themes of the library's taxonomy it belongs to (its term page links to the library
filtered by each).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.clock import now
from library.models.publications import Theme

__all__ = ["GLOSSARY_LANGUAGES", "Concept", "ConceptTerm", "ConceptSource"]

GLOSSARY_LANGUAGES: tuple[str, ...] = ("en", "es", "fr")


class Concept(models.Model):
    """One idea, whatever it is called in each language."""

    # The concept's identity in CSV files (import matches on it); never shown as text.
    key = models.SlugField(_("key"), max_length=100, unique=True)
    # One way: each concept lists its own (a CSV row holds its concept's list).
    see_also = models.ManyToManyField(
        "self", verbose_name=_("see also"), blank=True, symmetrical=False, related_name="+"
    )
    # The themes it is filed under, as chosen (their ancestors are not added).
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="glossary_concepts"
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["key"]
        verbose_name = _("glossary concept")
        verbose_name_plural = _("glossary concepts")

    def __str__(self) -> str:
        return self.key


class ConceptTerm(models.Model):
    """A concept in one language: what that language calls it and how it defines it."""

    class Language(models.TextChoices):
        EN = "en", "English"
        ES = "es", "Español"
        FR = "fr", "Français"

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="terms")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    term = models.CharField(_("term"), max_length=200)
    # Set from the term when the entry is created and never changed: the page's address.
    slug = models.SlugField(_("address"), max_length=120)
    definition = models.TextField(_("definition"))
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    synonyms = models.JSONField(_("synonyms"), default=list, blank=True)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["language", "term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        constraints = [
            models.UniqueConstraint(fields=["concept", "language"], name="one_term_per_language"),
            models.UniqueConstraint(fields=["language", "slug"], name="term_address_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.language})"


class ConceptSource(models.Model):
    """A work a concept's definitions rest on."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="sources")
    author = models.CharField(_("author"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    accessed = models.DateField(_("accessed"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["concept", "position", "id"]
        verbose_name = _("glossary source")
        verbose_name_plural = _("glossary sources")

    def __str__(self) -> str:
        return f"{self.author} ({self.year or 'n.d.'}) {self.title}"

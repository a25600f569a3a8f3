"""Publications: works and their language versions, the theme taxonomy, files, the review
log, the search document and download counts.

A `Work` is one piece of writing; each `Publication` is one language version of it
(translations are linked by sharing the work). Programme profiles (programmes.py) point at
publications, and glossary concepts (glossary.py) at themes, from their side, so this
module needs nothing of them.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import Organization

__all__ = [
    "Theme",
    "theme_ancestor_paths",
    "Work",
    "Publication",
    "PublicationAuthor",
    "PublicationCountry",
    "PublicationRegion",
    "PublicationTransition",
    "PublicationSearchDocument",
    "SearchWord",
    "DownloadCount",
    "normalise_title",
    "normalise_doi",
]


def normalise_title(title: str) -> str:
    """What two records of the same title share: case, accents, punctuation and spacing
    removed ("Cash Transfers: A Review." == "cash transfers a review")."""
    folded = unicodedata.normalize("NFKD", title or "")
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", folded))[:500]


def normalise_doi(doi: str) -> str:
    value = (doi or "").strip()
    value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
    return value.lower()[:200]


def theme_ancestor_paths(path: str) -> list[str]:
    """The paths of the themes above the one at `path`, from the root down."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


class Theme(models.Model):
    """A node of the taxonomy tree (social assistance › cash transfers › conditional).
    `path` is the slugs from the root joined by "/", so a theme and everything under it is
    one indexed prefix lookup."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    path = models.CharField(_("path"), max_length=400, unique=True, editable=False)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_es = models.CharField(_("name (Spanish)"), max_length=150, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=150, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Its own path only: a change of parent or slug goes through
        # services.themes.theme_save, which moves the subtree and the publications with it.
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.pk:
            parent_path = self.parent.path + "/"
            if self.parent_id == self.pk or parent_path.startswith(f"{self.path}/"):
                raise ValidationError(
                    {
                        "parent": _(
                            "A theme cannot be placed under itself or under a theme below it."
                        )
                    }
                )

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en

    @property
    def depth(self) -> int:
        return self.path.count("/")


class Work(models.Model):
    """What the language versions of one publication share."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self) -> str:
        return f"work {self.pk}"


class Publication(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        WORKING_PAPER = "working_paper", _("Working paper")
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        JOURNAL_ARTICLE = "journal_article", _("Journal article")
        TOOLKIT = "toolkit", _("Toolkit")
        EVALUATION = "evaluation", _("Evaluation")
        CASE_STUDY = "case_study", _("Case study")
        PRESENTATION = "presentation", _("Presentation")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")
        FRENCH = "fr", _("French")
        PORTUGUESE = "pt", _("Portuguese")
        ARABIC = "ar", _("Arabic")
        OTHER = "other", _("Other language")

    class Licence(models.TextChoices):
        CC_BY = "cc-by", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa", "CC BY-SA 4.0"
        CC_BY_NC = "cc-by-nc", "CC BY-NC 4.0"
        CC_BY_NC_ND = "cc-by-nc-nd", "CC BY-NC-ND 4.0"
        CC0 = "cc0", "CC0 1.0"
        PERMISSION = "permission", _("Shared with the publisher's permission")
        ALL_RIGHTS = "all-rights", _("All rights reserved (link only)")
        UNKNOWN = "unknown", _("Not known")

    class FileStatus(models.TextChoices):
        NONE = "none", _("No file")
        PENDING = "pending", _("Waiting to be processed")
        READY = "ready", _("Text extracted")
        NO_TEXT = "no_text", _("Stored; no text extracted for this type")
        UNREADABLE = "unreadable", _("Stored; could not be read")

    work = models.ForeignKey(
        Work, verbose_name=_("work"), on_delete=models.PROTECT, related_name="versions"
    )
    title = models.CharField(_("title"), max_length=500)
    normalised_title = models.CharField(max_length=500, editable=False, db_index=True)
    abstract = models.TextField(_("abstract"), blank=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="publications"
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations"),
        blank=True,
        related_name="library_publications",
        help_text=_("Authoring and publishing organizations."),
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True, db_index=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.UNKNOWN
    )

    file = models.FileField(_("file"), upload_to="library/files/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_kind = models.CharField(_("file type"), max_length=10, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    file_status = models.CharField(
        _("file processing"), max_length=12, choices=FileStatus.choices, default=FileStatus.NONE
    )
    file_problem = models.CharField(_("file problem"), max_length=300, blank=True)
    cover = models.ImageField(_("cover"), upload_to="library/covers/%Y/%m/", blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitter = models.ForeignKey(
        "members.Member",
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_submissions",
    )
    # The reviewer's checklist: all three must hold before a publication goes out.
    check_metadata = models.BooleanField(_("metadata complete"), default=False)
    check_taxonomy = models.BooleanField(_("taxonomy applied"), default=False)
    check_licence = models.BooleanField(_("licence allows sharing"), default=False)
    possible_duplicate = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="library_pub_status_pub"),
            models.Index(fields=["status", "kind"], name="library_pub_status_kind"),
            models.Index(fields=["status", "year"], name="library_pub_status_year"),
            models.Index(fields=["status", "language"], name="library_pub_status_lang"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="library_pub_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(day__isnull=True)
                | models.Q(month__isnull=False, day__gte=1, day__lte=31),
                name="library_pub_day_needs_month",
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(year__isnull=False),
                name="library_pub_month_needs_year",
            ),
            # One version per language of a work.
            models.UniqueConstraint(fields=["work", "language"], name="library_pub_one_per_lang"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def date_label(self) -> str:
        if not self.year:
            return ""
        if self.month and self.day:
            return f"{self.year}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def checklist_complete(self) -> bool:
        return self.check_metadata and self.check_taxonomy and self.check_licence


class PublicationAuthor(models.Model):
    """A person who wrote it, in the order the publication names them."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class PublicationCountry(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="country_rows"
    )
    country = CountryField(_("country"))

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.UniqueConstraint(fields=["publication", "country"], name="library_pub_country")
        ]
        indexes = [models.Index(fields=["country", "publication"], name="library_country_pub")]

    def __str__(self) -> str:
        return str(self.country)


class PublicationRegion(models.Model):
    """The regions a publication covers: named ones plus those of its countries."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="region_rows"
    )
    region = models.CharField(_("region"), max_length=40)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["publication", "region"], name="library_pub_region")
        ]
        indexes = [models.Index(fields=["region", "publication"], name="library_region_pub")]

    def __str__(self) -> str:
        return self.region


class PublicationTransition(models.Model):
    """The review log: every submission, comment and decision, who and when."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        RESUBMIT = "resubmit", _("Resubmitted")
        COMMENT = "comment", _("Commented")
        CHECKLIST = "checklist", _("Checklist updated")
        REQUEST_CHANGES = "request_changes", _("Requested changes")
        PUBLISH = "publish", _("Published")
        REJECT = "reject", _("Rejected")
        IMPORT = "import", _("Imported")

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="transitions"
    )
    actor = models.ForeignKey(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.publication_id} {self.action}"


class PublicationSearchDocument(models.Model):
    """What search reads for one published publication: its text per field and, on
    PostgreSQL, its weighted vector in its language's configuration and its facet values
    (`facet_keys`, text[] such as "country:KE", written with the vector), both GIN-indexed
    and both added by migrations only there. On SQLite the same rows feed the FTS5 table
    `library_publication_fts`, stemmed per language before they go in."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    language = models.CharField(max_length=8)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document {self.publication_id}"


class SearchWord(models.Model):
    """The words of indexed titles and abstracts: where "did you mean" looks for a typo's
    nearest neighbours (trigram similarity on PostgreSQL, edit distance on SQLite)."""

    word = models.CharField(max_length=60, unique=True)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [models.Index(fields=["word", "frequency"], name="library_word_freq")]

    def __str__(self) -> str:
        return self.word


class DownloadCount(models.Model):
    """Downloads per publication, calendar month (UTC) and country ("" when unknown).
    No address or person is stored."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="download_counts"
    )
    month = models.DateField(_("month"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "month", "country"], name="library_download_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "publication"], name="library_download_month")]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.month} {self.country}: {self.count}"

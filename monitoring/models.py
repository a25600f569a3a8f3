"""Usage, recorded without cookies or addresses: raw events for a few days, daily counts
for ever, and the salt that makes a day's visitors countable (deleted with the day)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageKind(models.TextChoices):
    PAGE_VIEW = "pageview", _("Page view")
    DOWNLOAD = "download", _("Download")
    SEARCH = "search", _("Search")
    JOIN = "join", _("Webinar join click")


class UsageEvent(models.Model):
    """One raw event, written in batches; deleted after USAGE_RAW_RETENTION_DAYS.

    No IP address, no cookie, no member id: `visitor` is a hash of the day's salt with
    the address and browser, unlinkable once the salt is deleted."""

    kind = models.CharField(max_length=12, choices=UsageKind.choices)
    day = models.DateField()
    at = models.DateTimeField()
    path = models.CharField(max_length=300, blank=True)  # secrets replaced, no query string
    referrer_host = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    device = models.CharField(max_length=8, blank=True)
    country = models.CharField(max_length=2, blank=True)
    visitor = models.CharField(max_length=32, blank=True)
    target = models.CharField(max_length=200, blank=True)  # what was downloaded or joined
    organization_id = models.PositiveBigIntegerField(default=0)  # whose content (0: none)
    query = models.CharField(max_length=200, blank=True)
    results = models.IntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["day", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.day} {self.path or self.target or self.query}"


class DailySalt(models.Model):
    """The day's random salt for visitor hashes; deleted once the day is over."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class DroppedUsage(models.Model):
    """Usage events of a day that no process could record (its buffer was full, the
    database refused the row or was out of reach), added up across processes: the day's
    figures are short by this many. Staff see it on the dashboard."""

    day = models.DateField(unique=True)
    events = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.events} events dropped on {self.day}"


class DailyCount(models.Model):
    """A day's figure: `kind` (page view, download, ...) by `dimension` (`total`, `path`,
    `referrer`, `country`, `language`, `device`, `target`, `query`, `no_results`) and
    `value`, for one organization's content (0: the whole platform). Written by the
    rollup, which replaces a day's rows as a whole (run twice, same rows)."""

    day = models.DateField()
    kind = models.CharField(max_length=12, choices=UsageKind.choices)
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=300, blank=True)
    organization_id = models.PositiveBigIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "dimension", "value", "organization_id"],
                name="one_daily_count",
            )
        ]
        indexes = [models.Index(fields=["kind", "dimension", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}/{self.dimension}={self.value}: {self.count}"


class DailyRollup(models.Model):
    """A day that has been rolled up, and when (the report rolls up only what it must)."""

    day = models.DateField(unique=True)
    rolled_at = models.DateTimeField()
    events = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"rollup of {self.day}"


class PartnerReport(models.Model):
    """One monthly report per organization and month: the unique constraint makes it so,
    however often beat or the command runs."""

    organization = models.ForeignKey(
        "members.Organization", on_delete=models.CASCADE, related_name="monthly_reports"
    )
    month = models.DateField()  # the first day of the month reported on
    created_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="one_report_per_month")
        ]

    def __str__(self) -> str:
        return f"report {self.organization_id} {self.month:%Y-%m}"


class ExportJob(models.Model):
    """A CSV export too large to stream in a request (over EXPORT_STREAM_LIMIT rows): the
    worker writes it to storage, counting rows as it goes; its requester downloads it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    dataset = models.CharField(max_length=40)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"export {self.dataset} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.clock import now as clock_now
from core.zones import DEFAULT_ZONE, validate_zone
from members.models import Organization
from webinars.models import Topic


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


def new_event_uid() -> str:
    return f"event-{uuid.uuid4().hex}@baraza"


class PersonalFeed(models.Model):
    """A member's secret calendar URL with their own registrations; revoking makes a new one."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personal calendar feed")

    def __str__(self) -> str:
        return f"feed of {self.member_id}"


class Venue(models.Model):
    """Where an in-person event happens. Its zone comes from the coordinates
    (timezonefinder), never typed: see `events.places.zone_at`."""

    name = models.CharField(_("venue name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    zone = models.CharField(_("time zone"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_on_earth",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.city) if part) or self.zone

    @property
    def place(self) -> str:
        """How people name where it is: "Dakar" or the zone's city."""
        return self.city or self.zone.rsplit("/", 1)[-1].replace("_", " ")


class CalendarSubscription(models.Model):
    """An organization's calendar feed (Google, Outlook, its own site) that the worker
    polls; what it brings is the organization's word (published at once) unless staff
    switch it to review first."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
    )
    url = models.URLField(_("feed address"), max_length=1000)
    default_zone = models.CharField(
        _("zone of floating times"),
        max_length=64,
        default=DEFAULT_ZONE,
        validators=[validate_zone],
        help_text=_("Used for times the feed gives without a zone."),
    )
    review_first = models.BooleanField(_("review imported events first"), default=False)
    active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified_header = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    last_result = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "url"], name="subscription_once_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.url


class Event(models.Model):
    """Anything on the calendar that is not a Baraza webinar.

    `starts_at`/`ends_at` are UTC; `zone` is the IANA zone the organizer meant (the
    venue's, or chosen for an online event). An all-day event starts at local midnight
    in its zone and `ends_at` is the exclusive end (RFC 5545's DTEND). A recurring
    event keeps its rule (`rrule`, RFC 5545 RECUR value) and the local wall-clock
    starts it skips (`exdates`); a moved occurrence is its own row pointing at the
    series (`recurrence_of`) with the start it replaces (`recurrence_id`, UTC).
    """

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        COURSE = "course", _("Course")
        WORKSHOP = "workshop", _("Workshop")
        STUDY_TOUR = "study_tour", _("Study tour")
        ONLINE = "online", _("Online event")
        DEADLINE = "deadline", _("Deadline")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("submitted for"),
        on_delete=models.CASCADE,
        related_name="owned_events",
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizing organizations"), related_name="events"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    info_url = models.URLField(_("registration or information page"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    review = models.CharField(
        _("review"), max_length=12, choices=Review.choices, default=Review.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    starts_at = models.DateTimeField(_("start (UTC)"))
    ends_at = models.DateTimeField(_("end (UTC)"))
    zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_ZONE, validators=[validate_zone]
    )
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.SET_NULL, null=True, blank=True
    )
    online = models.BooleanField(_("online"), default=False)
    location = models.CharField(_("place (as written)"), max_length=300, blank=True)
    rrule = models.CharField(_("repeats (RRULE)"), max_length=500, blank=True)
    exdates = models.JSONField(default=list, blank=True)
    # Last start of the series (UTC) when the rule ends; null while it repeats forever.
    repeats_until = models.DateTimeField(null=True, blank=True)
    recurrence_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="overrides"
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)
    uid = models.CharField(max_length=255, default=new_event_uid)
    sequence = models.PositiveIntegerField(default=0)
    last_modified = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    source = models.ForeignKey(
        CalendarSubscription,
        verbose_name=_("imported from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock_now)
    updated_at = models.DateTimeField(default=clock_now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "uid"],
                condition=models.Q(recurrence_id__isnull=True),
                name="event_uid_once_per_organization",
            ),
            models.UniqueConstraint(
                fields=["owner", "uid", "recurrence_id"],
                condition=models.Q(recurrence_id__isnull=False),
                name="event_occurrence_once_per_series",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["review", "starts_at"]),
            models.Index(fields=["review", "rrule", "repeats_until"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

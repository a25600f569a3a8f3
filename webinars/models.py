import secrets
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.zones import DEFAULT_ZONE, validate_zone
from members.models import Language, Organization

DEFAULT_REMINDER_OFFSETS = [24 * 60, 60]  # minutes before the start


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


def new_join_token() -> str:
    return secrets.token_urlsafe(24)


def new_ical_uid() -> str:
    return f"registration-{uuid.uuid4().hex}@baraza"


class Topic(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


class Webinar(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    class Platform(models.TextChoices):
        ZOOM = "zoom", "Zoom"
        TEAMS = "teams", "Microsoft Teams"
        BIGBLUEBUTTON = "bigbluebutton", "BigBlueButton"
        JITSI = "jitsi", "Jitsi"
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    # Off when the organizer asked for no glossary links in the description (core.text_links).
    glossary_links = models.BooleanField(
        _("link glossary terms"),
        default=True,
        help_text=_("Terms from the library's glossary are linked to their definitions."),
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizing organizations"), related_name="webinars"
    )
    language = models.CharField(
        _("language of delivery"), max_length=8, choices=Language.choices, default="en"
    )
    interpretation_languages = models.JSONField(
        _("interpretation languages"), default=list, blank=True
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    audience = models.JSONField(
        _("target audience"), default=dict, blank=True, help_text=_("Country code → weight.")
    )
    audience_regions = models.JSONField(_("target regions"), default=list, blank=True)
    platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, default=Platform.ZOOM
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    approval_required = models.BooleanField(_("approval required"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webinars",
    )
    reminder_offsets = models.JSONField(
        _("reminders (minutes before the start)"), default=default_reminder_offsets
    )
    recording_url = models.URLField(_("recording"), blank=True)
    slides_url = models.URLField(_("slides"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One run of a webinar (e.g. one for Asia-Pacific, one repeat for the Americas)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("label"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("start (UTC)"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=90)
    host_zone = models.CharField(
        _("host time zone"), max_length=64, default=DEFAULT_ZONE, validators=[validate_zone]
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    join_url = models.URLField(_("platform join URL"), max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.webinar.title} — {self.title or self.starts_at.isoformat()}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def label(self) -> str:
        """How pages name it: its title and start in the viewer's zone, or the start."""
        from django.utils import timezone

        return self.label_in(timezone.get_current_timezone())

    def label_in(self, zone: str | ZoneInfo) -> str:
        """Its title and start in that zone (the zone named), or the start alone."""
        from core.zones import format_instant

        when = format_instant(self.starts_at, zone)
        return f"{self.title} — {when}" if self.title else when

    @property
    def ical_uid(self) -> str:
        return f"session-{self.uid}@baraza"


class RegistrationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        PENDING = "pending", _("Pending approval")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # Still standing: holding a seat, waiting for one, or waiting for approval. Messages,
    # reschedules, the member's calendar and "registering again" all mean these; cancelled
    # and rejected registrations are over (registering again starts them afresh).
    ACTIVE_STATUSES: frozenset[str] = frozenset(
        {Status.CONFIRMED, Status.WAITLISTED, Status.PENDING}
    )

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=200)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_ZONE, validators=[validate_zone]
    )
    answers = models.JSONField(default=dict, blank=True)
    consent = models.BooleanField(default=False)
    source = models.CharField(_("source"), max_length=60, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    join_token = models.CharField(max_length=64, unique=True, default=new_join_token)
    join_first_clicked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    status_changed_at = models.DateTimeField()
    # Each email about this registration's own state (confirmed, waitlisted, cancelled, a
    # re-sent confirmation …) is one numbered notice: its email's event key ends in the
    # number, so a task run twice sends it once and a deliberate re-send is a new number.
    notice_sequence = models.PositiveIntegerField(default=0, editable=False)
    last_notice_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The one event this registration puts in the attendee's calendar: every invitation
    # (REQUEST or CANCEL) carries this UID, and its SEQUENCE grows with each change the
    # calendar must take (a switch of session, a reschedule, a cancellation, registering
    # again), so the calendar replaces the event it holds instead of adding a second.
    ical_uid = models.CharField(max_length=120, default=new_ical_uid, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                "webinar", Lower("email"), name="registration_one_per_email_per_webinar"
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"


class ReminderDelivery(models.Model):
    """One reminder to one registration at one offset for one start time — at most once."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    offset_minutes = models.PositiveIntegerField()
    session_starts_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "offset_minutes", "session_starts_at"],
                name="reminder_once_per_registration_offset_start",
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.offset_minutes} min for registration {self.registration_id}"


class AttendanceImport(models.Model):
    """One uploaded platform report for one session: previewed first, applied once.

    The file's bytes are kept so that applying needs no second upload; the same file
    (by SHA-256) can be imported into a session only once.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")

    class Format(models.TextChoices):
        ZOOM_WEBINAR = "zoom-webinar", _("Zoom webinar attendee report")
        ZOOM_MEETING = "zoom-meeting", _("Zoom meeting participant report")
        TEAMS = "teams", _("Microsoft Teams attendance report")
        GOTO = "goto", _("GoTo Webinar attendee report")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    source_zone = models.CharField(
        _("time zone of the export"), max_length=64, validators=[validate_zone]
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREVIEWED
    )
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sha256"], name="attendance_import_once_per_file_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.sha256[:12]} → session {self.session_id}"


class Attendance(models.Model):
    """One person present in one session, as the platform's report tells it.

    Rejoins are merged into `intervals` (UTC, overlaps joined); `minutes` is their sum
    capped at the session's length. A registrant is linked by email; people who never
    registered stay as walk-ins (no registration) with their name and email. Join-link
    clicks are the other evidence: `Registration.join_first_clicked_at`.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="attendances")
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
    )
    person_key = models.CharField(max_length=320)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    first_join = models.DateTimeField(_("first joined"), null=True, blank=True)
    last_leave = models.DateTimeField(_("last left"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes present"), default=0)
    reported_minutes = models.PositiveIntegerField(default=0)
    intervals = models.JSONField(default=list, blank=True)
    guest = models.BooleanField(_("guest"), default=False)
    country_name = models.CharField(_("country (as reported)"), max_length=100, blank=True)
    last_import = models.ForeignKey(
        AttendanceImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "first_join", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person_key"], name="attendance_once_per_person_per_session"
            )
        ]
        indexes = [models.Index(fields=["webinar", "session"])]

    def __str__(self) -> str:
        return f"{self.name or self.email} in session {self.session_id}"


class FollowUpDelivery(models.Model):
    """The one follow-up (thank you, or sorry we missed you) a registration gets."""

    class Kind(models.TextChoices):
        THANK_YOU = "thank_you", _("Thank you")
        SORRY_MISSED = "sorry_missed", _("Sorry we missed you")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration"], name="follow_up_once_per_registration")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for registration {self.registration_id}"


class OrganizerMessage(models.Model):
    """A message organizers sent to a webinar's registrants: stored once, each
    registrant's email made from it by id (never copied into every queued task)."""

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.webinar_id})"

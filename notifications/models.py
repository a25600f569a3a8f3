from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from notifications.categories import Channel


class Notification(models.Model):
    """Stored first, delivered second (in the app, by email at once, or in a digest)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # What it is about, e.g. "communities.thread:42": notifications about one target
    # within the email delay become one email.
    target = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=60)
    channel = models.CharField(max_length=12, choices=Channel.CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "category"], name="one_preference_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.category}={self.channel}"


class DeliverySettings(models.Model):
    """Pause everything, and when digests arrive (the member's local hour and weekday)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_settings"
    )
    paused = models.BooleanField(_("pause all email"), default=False)
    digest_hour = models.PositiveSmallIntegerField(_("digest hour (your time)"), default=8)
    weekly_day = models.PositiveSmallIntegerField(
        _("weekly digest day"), default=0, help_text=_("0 = Monday … 6 = Sunday")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="digest_hour_in_day"),
            models.CheckConstraint(condition=Q(weekly_day__lte=6), name="weekly_day_in_week"),
        ]

    def __str__(self) -> str:
        return f"delivery settings of {self.member_id}"


class EmailOptOut(models.Model):
    """One-click unsubscribe of an address from one category (members and non-members)."""

    email = models.EmailField()
    category = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), "category", name="one_optout_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.email} ✕ {self.category}"


class SuppressedAddress(models.Model):
    """Never send to this address again (bounce, complaint, ESP rejection) until lifted."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")
        REJECTED = "rejected", _("Rejected by the provider")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed at the provider")
        MANUAL = "manual", _("Added by staff")

    email = models.EmailField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True)
    esp = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=Q(lifted_at__isnull=True), name="one_active_suppression"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class WebhookEvent(models.Model):
    """ESP events already processed (webhooks are retried; each counts once)."""

    esp = models.CharField(max_length=40)
    event_id = models.CharField(max_length=200)
    event_type = models.CharField(max_length=40)
    recipient = models.EmailField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["esp", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.esp}:{self.event_id}"


class OutboundEmail(models.Model):
    """Every email, as a row: sent by the worker, retried with backoff, never lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")
        OPTED_OUT = "opted_out", _("Unsubscribed")

    to = models.EmailField()
    category = models.CharField(max_length=60)
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=400)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker took it to send

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"


class DigestRun(models.Model):
    """One digest per member, kind and period — the unique constraint makes it so."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        EMPTY = "empty", _("Nothing to send")
        SKIPPED = "skipped", _("Not sent (paused or suppressed)")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_runs"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    period = models.DateField(help_text="local date (daily) or local Monday (weekly)")
    status = models.CharField(max_length=10, choices=Status.choices)
    email = models.OneToOneField(
        OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "period"], name="digest_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} digest {self.period} for {self.member_id}"

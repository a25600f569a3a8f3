from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from communities.models.chat import ChatMessage, ChatRoom
from communities.models.discussions import Post, Thread
from communities.models.spaces import Community, JoinRequest
from core.clock import now

ONE_TARGET = (Q(post__isnull=False) & Q(message__isnull=True)) | (
    Q(post__isnull=True) & Q(message__isnull=False)
)


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off_topic", _("Off-topic")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        HARASSMENT = "harassment", _("Harassment")
        WATCHED_WORD = "watched_word", _("Contains a watched word")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    message = models.ForeignKey(
        ChatMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    # None: raised by the system (a watched word).
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="flag_one_target"),
            models.UniqueConstraint(
                fields=["post", "flagged_by"],
                condition=Q(flagged_by__isnull=False, post__isnull=False),
                name="one_flag_per_member_per_post",
            ),
            models.UniqueConstraint(
                fields=["message", "flagged_by"],
                condition=Q(flagged_by__isnull=False, message__isnull=False),
                name="one_flag_per_member_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"flag {self.reason}"


class WatchedWord(models.Model):
    class Action(models.TextChoices):
        BLOCK = "block", _("Block the post")
        HOLD = "hold", _("Hold for approval")
        FLAG = "flag", _("Publish and flag for review")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="watched_words")
    word = models.CharField(_("word or phrase"), max_length=100)
    action = models.CharField(_("action"), max_length=5, choices=Action.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint("community", Lower("word"), name="one_watched_word"),
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.action})"

    @property
    def outdated(self) -> bool:
        """Stored before `*` was limited to a word's end: its other `*`s now match only
        a literal `*` (a moderator should replace it)."""
        from communities.text import watched_word_problem

        return watched_word_problem(self.word) is not None


class ReviewItem(models.Model):
    """One thing waiting for a moderator: a held or flagged post or chat message, or a
    join request. At most one pending item per thing (the database enforces it)."""

    class Kind(models.TextChoices):
        HELD_POST = "held_post", _("Held post")
        FLAGGED_POST = "flagged_post", _("Flagged post")
        HELD_MESSAGE = "held_message", _("Held chat message")
        FLAGGED_MESSAGE = "flagged_message", _("Flagged chat message")
        JOIN_REQUEST = "join_request", _("Join request")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RESOLVED = "resolved", _("Resolved")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="review_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True)
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, null=True, blank=True)
    join_request = models.ForeignKey(JoinRequest, on_delete=models.CASCADE, null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=now)
    announced_at = models.DateTimeField(null=True, blank=True)  # moderators told (worker)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["community", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status="pending", post__isnull=False),
                name="one_pending_review_per_post",
            ),
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(status="pending", message__isnull=False),
                name="one_pending_review_per_message",
            ),
            models.UniqueConstraint(
                fields=["join_request"],
                condition=Q(status="pending", join_request__isnull=False),
                name="one_pending_review_per_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} in {self.community_id} ({self.status})"


class ModerationAction(models.Model):
    """The audit log: append-only (rows are written once, never changed or removed)."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        HIDE = "hide", _("Hidden")
        AUTO_HIDE = "auto_hide", _("Hidden after flags")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Flags dismissed")
        DELETE = "delete", _("Deleted")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        WARN = "warn", _("Warned")
        MUTE = "mute", _("Muted (read-only)")
        UNMUTE = "unmute", _("Unmuted")
        BAN = "ban", _("Banned")
        UNBAN = "unban", _("Ban lifted")
        REMOVE = "remove", _("Removed")
        JOIN_APPROVE = "join_approve", _("Join request approved")
        JOIN_DENY = "join_deny", _("Join request denied")
        INVITE = "invite", _("Invited")
        ROLE = "role", _("Role changed")
        SETTINGS = "settings", _("Settings changed")
        SLOW_MODE = "slow_mode", _("Slow mode changed")
        WATCHED_WORDS = "watched_words", _("Watched words changed")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_log"
    )
    room = models.ForeignKey(
        ChatRoom, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # None: the system acted (content hidden after flags).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    target_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        ChatMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["target_member", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The moderation log is append-only.")

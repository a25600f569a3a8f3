from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models.spaces import Community
from communities.models.status import ContentStatus
from core.clock import now


class ChatRoom(models.Model):
    """A live room: one per community, or the Q&A room of one webinar session."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="chat_room"
    )
    session = models.OneToOneField(
        "webinars.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="qa_room",
    )
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode (seconds between messages)"),
        default=0,
        help_text=_("0: the usual limit of a few messages per member every ten seconds."),
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(community__isnull=False) & Q(session__isnull=True))
                | (Q(community__isnull=True) & Q(session__isnull=False)),
                name="chat_room_for_community_or_session",
            )
        ]

    def __str__(self) -> str:
        return f"chat room {self.pk}"

    @property
    def group_name(self) -> str:
        if self.community_id:
            return f"community.{self.community_id}"
        return f"session.{self.session_id}"


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # People without an account speak in a webinar's Q&A under their registered name.
    registration = models.ForeignKey(
        "webinars.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField(blank=True)
    previous_bodies = models.JSONField(default=list, blank=True)
    client_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    flag_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["room", "status", "-id"], name="chat_history")]

    def __str__(self) -> str:
        return f"message {self.pk} in room {self.room_id}"


class ChatPresence(models.Model):
    """One open socket in a room; `who` is the person (two tabs count once)."""

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="presences")
    channel_name = models.CharField(max_length=200, unique=True)
    who = models.CharField(max_length=40)
    seen_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["room", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.who} in room {self.room_id}"

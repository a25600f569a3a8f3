from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models.spaces import Community
from communities.models.status import ContentStatus
from core.clock import now


class Thread(models.Model):
    """A discussion. Its opening post carries the body; `status` mirrors that post's."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    last_activity_at = models.DateTimeField(default=now)
    first_reply_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(
                fields=["community", "status", "-is_pinned", "-last_activity_at", "-id"],
                name="thread_listing",
            ),
            models.Index(fields=["community", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_opening = models.BooleanField(default=False)
    body = models.TextField(_("message (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    # Off when the author asked for no glossary links in this post (core.text_links).
    glossary_links = models.BooleanField(_("link glossary terms"), default=True)
    status = models.CharField(
        max_length=10, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    hold_reason = models.CharField(max_length=200, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    flag_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    edited_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # replies and mentions told

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["thread", "status", "created_at"]),
            models.Index(fields=["community", "status", "created_at"]),
            models.Index(fields=["community", "author"]),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"


class PostRevision(models.Model):
    """What a post said before each edit (the history is kept)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="one_like")]

    def __str__(self) -> str:
        return f"{self.member_id} likes {self.post_id}"


class Attachment(models.Model):
    """Shared material: an uploaded file (type and size limited) or a link.

    Files are never served from MEDIA_URL: a view checks who may read them first.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    file = models.FileField(upload_to="communities/%Y/%m/", blank=True, max_length=300)
    url = models.URLField(max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="attachment_has_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.name

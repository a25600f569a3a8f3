import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.clock import now


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Community(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can read")
        MEMBERS = "members", _("Members only: listed, content for members")
        HIDDEN = "hidden", _("Hidden: by invitation, not listed")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        REQUEST = "request", _("Request and approve")
        INVITE = "invite", _("Invitation only")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("owning organization"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("who can join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    topics = models.ManyToManyField(
        "webinars.Topic", verbose_name=_("topics"), blank=True, related_name="communities"
    )
    rules = models.TextField(_("rules (Markdown)"), blank=True)
    rules_html = models.TextField(editable=False, blank=True)
    series = models.ForeignKey(
        "webinars.Series",
        verbose_name=_("webinar series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
        help_text=_("Its webinars' pages point here for follow-up discussion."),
    )
    premoderate_posts = models.PositiveSmallIntegerField(
        _("hold the first posts of new members"),
        default=0,
        help_text=_("A moderator approves a new member's first N posts (0: no pre-moderation)."),
    )
    auto_hide_flags = models.PositiveSmallIntegerField(
        _("hide after this many flags"),
        default=3,
        help_text=_("Content flagged by this many different members is hidden until reviewed."),
    )
    created_at = models.DateTimeField(default=now)
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            models.CheckConstraint(
                condition=Q(auto_hide_flags__gte=1), name="community_auto_hide_at_least_one"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def group_name(self) -> str:
        return f"community.{self.pk}"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MODERATOR = "moderator", _("Moderator")
        MEMBER = "member", _("Member")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    handle = models.CharField(_("mention handle"), max_length=80)
    joined_at = models.DateTimeField(default=now)
    last_active_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(_("read-only until"), null=True, blank=True)
    mute_reason = models.TextField(blank=True)
    notifications_muted = models.BooleanField(_("community muted"), default=False)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "member"], name="one_membership"),
            models.UniqueConstraint(
                fields=["community", "handle"], name="one_handle_per_community"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "role"]),
            models.Index(fields=["community", "last_active_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.community_id} ({self.role})"

    @property
    def is_moderator(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.MODERATOR)

    def is_muted_at(self, at) -> bool:
        return self.muted_until is not None and self.muted_until > at


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message to the moderators"), blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.community_id} ({self.status})"


class Invitation(models.Model):
    """Invite by email: the link works for someone without an account yet."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "community",
                Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.community_id}"


class Ban(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="bans")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_bans"
    )
    reason = models.TextField(_("reason"))
    until = models.DateTimeField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "member"],
                condition=Q(lifted_at__isnull=True),
                name="one_standing_ban",
            )
        ]

    def __str__(self) -> str:
        return f"ban of {self.member_id} from {self.community_id}"

    def is_active_at(self, at) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > at)

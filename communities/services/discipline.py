"""What moderators do to people: warn, mute (read-only), ban, remove. Each is logged and
the person is told what happened and why."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from communities import permissions
from communities.models import (
    Ban,
    ChatMessage,
    Community,
    JoinRequest,
    Membership,
    ModerationAction,
    Post,
)
from communities.services import broadcast
from communities.services.audit import Action, audit_record
from communities.services.notices import tell_author
from core.clock import now
from core.zones import format_instant
from members.models import Member

MAX_DAYS = 3650


def _known_here(community: Community, member: Member) -> bool:
    """Not a member now, but part of this community's story: banned or acted on by its
    moderators before, asked to join, or wrote here."""
    return (
        Ban.objects.filter(community=community, member=member).exists()
        or ModerationAction.objects.filter(community=community, target_member=member).exists()
        or JoinRequest.objects.filter(community=community, member=member).exists()
        or Post.objects.filter(community=community, author=member).exists()
        or ChatMessage.objects.filter(room__community=community, author=member).exists()
    )


def _not_here() -> PermissionDenied:
    return PermissionDenied(_("This person is not a member of this community."))


def _person(community: Community, member_id: int, actor) -> tuple[Member, Membership | None]:
    """The person a moderator names (never themselves), and their membership here if any."""
    permissions.require_moderator(actor, community)
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise _not_here()
    if member.pk == actor.pk:
        raise ValidationError(_("You cannot do this to yourself."))
    return member, Membership.objects.filter(community=community, member=member).first()


def _require_may_act(actor, community: Community, membership: Membership | None) -> None:
    if not permissions.may_act_on(actor, community, membership):
        raise PermissionDenied(_("Only an owner can do this to a moderator or owner."))


def _target(community: Community, member_id: int, actor) -> tuple[Member, Membership]:
    """The person a moderator acts on: a member of *this* community (a moderator has no
    power over anyone else)."""
    member, membership = _person(community, member_id, actor)
    if membership is None:
        raise _not_here()
    _require_may_act(actor, community, membership)
    return member, membership


def _target_or_former(
    community: Community, member_id: int, actor
) -> tuple[Member, Membership | None]:
    """A member of this community, or someone known here (to ban or to undo)."""
    member, membership = _person(community, member_id, actor)
    if membership is None and not _known_here(community, member):
        raise _not_here()
    _require_may_act(actor, community, membership)
    return member, membership


def _until(duration: timedelta | None) -> datetime | None:
    if duration is None:
        return None
    if duration <= timedelta(0) or duration > timedelta(days=MAX_DAYS):
        raise ValidationError(_("Choose a duration between an hour and ten years."))
    return now() + duration


def _when(member: Member, until: datetime | None) -> str:
    return format_instant(until, member.time_zone) if until else _("further notice")


def _logged_and_told(
    community: Community,
    member: Member,
    actor,
    action: str,
    title,
    *,
    reason: str,
    until: datetime | None = None,
    link: bool = True,
) -> None:
    """Write the action to the audit log and tell the member why. `title` is called
    in the member's language."""
    audit_record(
        community=community,
        actor=actor,
        action=action,
        target_member=member,
        reason=reason,
        until=until,
    )
    tell_author(
        member,
        title,
        body=reason,
        url=reverse("communities:detail", args=[community.slug]) if link else "",
        actor=actor,
    )


def member_warn(*, community: Community, member_id: int, actor, reason: str) -> None:
    if not reason.strip():
        raise ValidationError(_("Say why you are warning this member."))
    member, _membership = _target(community, member_id, actor)
    with transaction.atomic():
        _logged_and_told(
            community,
            member,
            actor,
            Action.WARN,
            lambda: _("A warning from the moderators of %(community)s") % {"community": community},
            reason=reason,
        )


def member_mute(
    *, community: Community, member_id: int, actor, reason: str, duration: timedelta
) -> Membership:
    """Read-only for `duration`: the member reads but cannot post or chat."""
    member, membership = _target(community, member_id, actor)
    until = _until(duration)
    with transaction.atomic():
        membership.muted_until, membership.mute_reason = until, reason
        membership.save(update_fields=["muted_until", "mute_reason"])
        _logged_and_told(
            community,
            member,
            actor,
            Action.MUTE,
            lambda: (
                _("You are read-only in %(community)s until %(until)s")
                % {"community": community, "until": _when(member, until)}
            ),
            reason=reason,
            until=until,
        )
    return membership


def member_unmute(*, community: Community, member_id: int, actor) -> None:
    member, membership = _target_or_former(community, member_id, actor)
    if membership is None or membership.muted_until is None:
        return
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(muted_until=None, mute_reason="")
        audit_record(community=community, actor=actor, action=Action.UNMUTE, target_member=member)


def member_ban(
    *,
    community: Community,
    member_id: int,
    actor,
    reason: str,
    duration: timedelta | None = None,
) -> Ban:
    """Out of the community and its chat at once (open sockets close with 4403), and
    unable to rejoin until the ban ends. `duration=None` bans until lifted."""
    if not reason.strip():
        raise ValidationError(_("Say why you are banning this member."))
    member, membership = _target_or_former(community, member_id, actor)
    until = _until(duration)
    at = now()
    with transaction.atomic():
        Ban.objects.filter(community=community, member=member, lifted_at__isnull=True).update(
            lifted_at=at
        )
        ban = Ban.objects.create(
            community=community,
            member=member,
            reason=reason,
            until=until,
            created_by=actor,
            created_at=at,
        )
        if membership is not None:
            membership.delete()
        JoinRequest.objects.filter(
            community=community, member=member, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.DENIED, decided_at=at, decided_by=actor)
        _logged_and_told(
            community,
            member,
            actor,
            Action.BAN,
            lambda: (
                _("You are banned from %(community)s until %(until)s")
                % {"community": community, "until": _when(member, until)}
            ),
            reason=reason,
            until=until,
            link=False,  # the community is closed to them now
        )
        broadcast.publish(community.group_name, {"type": "member.banned", "member_id": member.pk})
    return ban


def member_unban(*, community: Community, member_id: int, actor) -> None:
    permissions.require_moderator(actor, community)
    if not Ban.objects.filter(community=community, member_id=member_id).exists():
        raise PermissionDenied(_("This person was never banned from this community."))
    with transaction.atomic():
        lifted = Ban.objects.filter(
            community=community, member_id=member_id, lifted_at__isnull=True
        ).update(lifted_at=now())
        if lifted:
            audit_record(
                community=community,
                actor=actor,
                action=Action.UNBAN,
                target_member=Member.objects.filter(pk=member_id).first(),
            )


def member_remove(*, community: Community, member_id: int, actor, reason: str = "") -> None:
    """Out of the community (they may join again, unlike a ban)."""
    member, membership = _target_or_former(community, member_id, actor)
    if membership is None:
        return
    with transaction.atomic():
        membership.delete()
        _logged_and_told(
            community,
            member,
            actor,
            Action.REMOVE,
            lambda: _("You were removed from %(community)s") % {"community": community},
            reason=reason,
            link=False,
        )
        broadcast.publish(community.group_name, {"type": "member.removed", "member_id": member.pk})

"""Joining and leaving: open joins, requests and their decisions, invitations by email,
roles, and muting a community's notifications."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from communities import permissions
from communities.models import Community, Invitation, JoinRequest, Membership, ReviewItem
from communities.services import broadcast
from communities.services.audit import Action, audit_record
from communities.services.notices import tell
from communities.services.post_lifecycle import review_item_announce_later
from communities.text import handle_base
from core.clock import now
from core.ratelimit import allow

Role = Membership.Role
INVITATION_DAYS = 30


def _free_handle(community: Community, member) -> str:
    base = handle_base(member.get_full_name())
    taken = set(
        Membership.objects.filter(community=community, handle__startswith=base).values_list(
            "handle", flat=True
        )
    )
    if base not in taken:
        return base
    return f"{base}-{member.pk}"


def _refuse_if_banned(member, community: Community) -> None:
    ban = permissions.active_ban(member, community)
    if ban is not None:
        raise ValidationError(_("You are banned from this community and cannot join it."))


def membership_add(*, community: Community, member, role: str = Role.MEMBER, at=None) -> Membership:
    """The membership row, created once (joining twice changes nothing)."""
    existing = Membership.objects.filter(community=community, member=member).first()
    if existing is not None:
        return existing
    for attempt in range(2):
        try:
            with transaction.atomic():
                return Membership.objects.create(
                    community=community,
                    member=member,
                    role=role,
                    handle=_free_handle(community, member)
                    if attempt == 0
                    else f"member-{member.pk}",
                    joined_at=at or now(),
                )
        except IntegrityError:
            existing = Membership.objects.filter(community=community, member=member).first()
            if existing is not None:
                return existing
    raise ValidationError(_("Could not join the community; please try again."))


def community_join(*, community: Community, member) -> Membership:
    """Join an open community (a listed one, or a hidden one you were invited to)."""
    if not member.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        _refuse_if_banned(member, community)
        if community.join_policy != Community.JoinPolicy.OPEN:
            raise ValidationError(_("This community is not open: ask to join instead."))
        if community.visibility == Community.Visibility.HIDDEN:
            raise ValidationError(_("This community is by invitation only."))
        return membership_add(community=community, member=member)


def community_leave(*, community: Community, member) -> None:
    with transaction.atomic():
        membership = Membership.objects.filter(community=community, member=member).first()
        if membership is None:
            return
        if (
            membership.role == Role.OWNER
            and not Membership.objects.filter(community=community, role=Role.OWNER)
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise ValidationError(
                _("You are the only owner: make someone else an owner before you leave.")
            )
        membership.delete()
        broadcast.publish(community.group_name, {"type": "member.removed", "member_id": member.pk})


def join_request_create(*, community: Community, member, message: str = "") -> JoinRequest:
    if not member.is_authenticated:
        raise PermissionDenied
    if community.join_policy != Community.JoinPolicy.REQUEST:
        raise ValidationError(_("This community does not take requests to join."))
    if community.visibility == Community.Visibility.HIDDEN:
        raise ValidationError(_("This community is by invitation only."))
    with transaction.atomic():
        _refuse_if_banned(member, community)
        if Membership.objects.filter(community=community, member=member).exists():
            raise ValidationError(_("You are already a member."))
        pending = JoinRequest.objects.filter(
            community=community, member=member, status=JoinRequest.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        request = JoinRequest.objects.create(
            community=community, member=member, message=message.strip()[:1000], created_at=now()
        )
        item = ReviewItem.objects.create(
            community=community,
            kind=ReviewItem.Kind.JOIN_REQUEST,
            join_request=request,
            reason=_("Asked to join"),
            created_at=request.created_at,
        )
        review_item_announce_later(item)
        broadcast.publish_queue_change(community.pk, added=item.pk)
    return request


def join_request_decide(
    *, join_request: JoinRequest, actor, approve: bool, reason: str = ""
) -> JoinRequest:
    community = join_request.community
    permissions.require_moderator(actor, community)
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update(of=("self",)).get(pk=join_request.pk)
        if request.status != JoinRequest.Status.PENDING:
            return request
        at = now()
        if approve:
            _refuse_if_banned(request.member, community)
            membership_add(community=community, member=request.member, at=at)
        request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DENIED
        request.decided_at, request.decided_by = at, actor
        request.save(update_fields=["status", "decided_at", "decided_by"])
        items = ReviewItem.objects.filter(join_request=request, status=ReviewItem.Status.PENDING)
        resolved = list(items.values_list("pk", flat=True))
        items.update(
            status=ReviewItem.Status.RESOLVED,
            resolved_at=at,
            resolved_by=actor,
            resolution="approve" if approve else "deny",
        )
        audit_record(
            community=community,
            actor=actor,
            action=Action.JOIN_APPROVE if approve else Action.JOIN_DENY,
            target_member=request.member,
            reason=reason,
        )
        url = reverse("communities:detail", args=[community.slug])
        if approve:
            text = gettext_noop("Welcome to %(community)s")
        else:
            text = gettext_noop("Your request to join %(community)s was declined")
        tell(
            request.member,
            "moderation.outcome",
            lambda: _(text) % {"community": community.name},
            body=reason,
            url=url,
            actor=actor,
        )
        for item_id in resolved:
            broadcast.publish_queue_change(community.pk, resolved=item_id)
    return request


def invitation_create(*, community: Community, email: str, actor, message: str = "") -> Invitation:
    """Invite an address (account or not); inviting again renews the link."""
    permissions.require_moderator(actor, community)
    email = email.strip()
    if not email or "@" not in email:
        raise ValidationError(_("Enter a valid email address."))
    if not allow("invite", str(actor.pk), settings.INVITATION_RATE_PER_MEMBER):
        raise ValidationError(
            _("You have sent the most invitations allowed for now; try again later.")
        )
    at = now()
    with transaction.atomic():
        invitation: Invitation | None = (
            Invitation.objects.select_for_update(of=("self",))
            .annotate(lowered=Lower("email"))
            .filter(community=community, lowered=email.lower(), accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            invitation = Invitation(community=community, email=email)
        invitation.invited_by = actor
        invitation.message = message.strip()[:1000]
        invitation.created_at = at
        invitation.expires_at = at + timedelta(days=INVITATION_DAYS)
        invitation.token = Invitation._meta.get_field("token").default()
        invitation.save()
        audit_record(community=community, actor=actor, action=Action.INVITE, summary=email)
        transaction.on_commit(lambda: _send_invitation(invitation.pk, invitation.token))
    return invitation


def _send_invitation(invitation_id: int, token: str) -> None:
    from communities.tasks import invitation_send

    invitation_send.delay(invitation_id, token)


def invitation_accept(*, token: str, member) -> Membership:
    if not member.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("community")
            .filter(token=token)
            .first()
        )
        if invitation is None or invitation.expires_at <= now():
            raise ValidationError(_("This invitation has expired or does not exist."))
        community = invitation.community
        if invitation.accepted_at is not None:
            if invitation.accepted_by_id == member.pk:
                return Membership.objects.get(community=community, member=member)
            raise ValidationError(_("This invitation has already been used."))
        _refuse_if_banned(member, community)
        membership = membership_add(community=community, member=member)
        invitation.accepted_at, invitation.accepted_by = now(), member
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        JoinRequest.objects.filter(
            community=community, member=member, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_at=now())
    return membership


def member_set_role(*, community: Community, member_id: int, role: str, actor) -> Membership:
    permissions.require_manager(actor, community)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("member")
            .filter(community=community, member_id=member_id)
            .first()
        )
        if membership is None:
            raise ValidationError(_("This person is not a member."))
        if membership.role == role:
            return membership
        if (
            membership.role == Role.OWNER
            and not Membership.objects.filter(community=community, role=Role.OWNER)
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise ValidationError(_("A community needs at least one owner."))
        previous = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            community=community,
            actor=actor,
            action=Action.ROLE,
            target_member=membership.member,
            summary=f"{previous} → {membership.get_role_display()}",
        )
    return membership


def community_mute_notifications(*, community: Community, member, muted: bool) -> Membership:
    """A member's own choice: no notifications or digest items from this community."""
    membership = Membership.objects.filter(community=community, member=member).first()
    if membership is None:
        raise ValidationError(_("Join the community first."))
    Membership.objects.filter(pk=membership.pk).update(notifications_muted=muted)
    membership.notifications_muted = muted
    return membership

"""Who may do what in a community. Services and selectors call these; templates never decide.

A moderator's power ends at their community's edge: every check takes the community the
thing belongs to, never "is this person a moderator somewhere".
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from communities.models import Ban, Community, Membership
from core.clock import now

Visibility = Community.Visibility
Role = Membership.Role


def is_staff(member) -> bool:
    return bool(member is not None and member.is_authenticated and member.is_platform_staff)


def membership_of(member, community: Community) -> Membership | None:
    if member is None or not member.is_authenticated:
        return None
    return Membership.objects.filter(community=community, member=member).first()


def active_ban(member, community: Community) -> Ban | None:
    if member is None or not member.is_authenticated:
        return None
    at = now()
    for ban in Ban.objects.filter(community=community, member=member, lifted_at__isnull=True):
        if ban.is_active_at(at):
            return ban
    return None


def can_see_listing(member, community: Community, membership: Membership | None) -> bool:
    """Whether the community's name and description may be shown at all."""
    if community.visibility != Visibility.HIDDEN:
        return True
    return membership is not None or is_staff(member)


def can_read(member, community: Community, membership: Membership | None) -> bool:
    """Threads, posts, chat and files."""
    if community.visibility == Visibility.PUBLIC:
        return True
    return membership is not None or is_staff(member)


def can_moderate(member, community: Community, membership: Membership | None) -> bool:
    if is_staff(member):
        return True
    return membership is not None and membership.is_moderator


def can_manage(member, community: Community, membership: Membership | None) -> bool:
    """Settings, roles and watched words: the owner and platform staff."""
    if is_staff(member):
        return True
    return membership is not None and membership.role == Role.OWNER


def can_participate(membership: Membership | None) -> bool:
    return membership is not None and not membership.is_muted_at(now())


def require_listing(member, community: Community, membership: Membership | None) -> None:
    """Hidden communities do not exist for outsiders (404, not 403)."""
    if not can_see_listing(member, community, membership):
        raise Http404


def require_read(member, community: Community, membership: Membership | None) -> None:
    require_listing(member, community, membership)
    if not can_read(member, community, membership):
        raise PermissionDenied(_("This community's discussions are for its members."))


def require_moderator(member, community: Community, membership: Membership | None = None) -> None:
    if membership is None:
        membership = membership_of(member, community)
    if not can_moderate(member, community, membership):
        raise PermissionDenied(_("You do not moderate this community."))


def require_manager(member, community: Community, membership: Membership | None = None) -> None:
    if membership is None:
        membership = membership_of(member, community)
    if not can_manage(member, community, membership):
        raise PermissionDenied(_("Only the community's owner can change this."))


def may_act_on(actor, community: Community, target_membership: Membership | None) -> bool:
    """Moderators act on members; owners and staff also on moderators; no one but staff
    on the owner."""
    if target_membership is None or target_membership.role == Role.MEMBER:
        return True
    if is_staff(actor):
        return True
    if target_membership.role == Role.OWNER:
        return False
    actor_membership = membership_of(actor, community)
    return actor_membership is not None and actor_membership.role == Role.OWNER


def can_create_community(member) -> bool:
    return bool(
        member is not None
        and member.is_authenticated
        and (member.is_platform_staff or (member.is_partner_admin and member.organization_id))
    )

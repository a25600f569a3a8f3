"""The moderation audit log as moderators read it: only their communities' entries
(every entry for platform staff), filtered by community, moderator, member and action."""

from django.core.paginator import Paginator

from communities import permissions
from communities.models import Community, ModerationAction

LOG_PER_PAGE = 50


def audit_log(
    *,
    viewer,
    communities: list[Community],
    community_id: int | None = None,
    actor_id: int | None = None,
    member_id: int | None = None,
    action: str = "",
    page_number=1,
    paginate: bool = True,
):
    rows = ModerationAction.objects.select_related(
        "community", "actor", "target_member", "thread", "room__session__webinar"
    ).order_by("-created_at", "-id")
    if permissions.is_staff(viewer):
        if community_id is not None:
            rows = rows.filter(community_id=community_id)
    else:
        allowed = [c.pk for c in communities]
        if community_id is not None and community_id not in allowed:
            allowed = []  # not theirs: nothing, as if it did not exist
        elif community_id is not None:
            allowed = [community_id]
        rows = rows.filter(community_id__in=allowed)
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    if member_id is not None:
        rows = rows.filter(target_member_id=member_id)
    if action:
        rows = rows.filter(action=action)
    if not paginate:
        return rows
    return Paginator(rows, LOG_PER_PAGE).get_page(page_number)


def log_people(*, viewer, communities: list[Community]) -> tuple[list, list]:
    """Moderators who acted and members acted on, for the log's filters."""
    from members.models import Member

    rows = ModerationAction.objects.all()
    if not permissions.is_staff(viewer):
        rows = rows.filter(community_id__in=[c.pk for c in communities])
    actors = Member.objects.filter(
        pk__in=rows.filter(actor__isnull=False).values("actor_id")
    ).order_by("full_name", "email")
    targets = Member.objects.filter(
        pk__in=rows.filter(target_member__isnull=False).values("target_member_id")
    ).order_by("full_name", "email")
    return list(actors), list(targets)

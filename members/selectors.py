"""Read queries for member pages (a fixed number of queries whatever the table size)."""

from django.shortcuts import get_object_or_404

from members.models import Member, Organization, OrganizationFollow

# What members/profile.html shows of a member: not the password hash, email or settings.
PROFILE_FIELDS = (
    "public_id",
    "full_name",
    "country",
    "role",
    "time_zone",
    "date_joined",
    "organization__name",
)


def member_profile(*, public_id: str) -> Member:
    """The member whose profile is shown, with their organization. One query."""
    members = Member.objects.select_related("organization").only(*PROFILE_FIELDS)
    return get_object_or_404(members.filter(is_active=True), public_id=public_id)


def organizations_featured(*, limit: int = 12) -> list[Organization]:
    return list(Organization.objects.order_by("name")[:limit])


def organization_by_slug(*, slug: str) -> Organization:
    return get_object_or_404(Organization, slug=slug)


def organizations_followed(*, member: Member) -> list[Organization]:
    """The organizations the member follows, by name. One query."""
    return list(
        Organization.objects.filter(follows__member=member).only("name", "slug").order_by("name")
    )


def organizations_followed_among(*, member, organizations: list[Organization]) -> set[int]:
    """Which of `organizations` the viewer follows (ids): none for a visitor, and no
    query then; one query otherwise."""
    if not member.is_authenticated or not organizations:
        return set()
    return set(
        OrganizationFollow.objects.filter(
            member=member, organization__in=[o.pk for o in organizations]
        ).values_list("organization_id", flat=True)
    )

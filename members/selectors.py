"""Read queries for member pages (a fixed number of queries whatever the table size)."""

from django.shortcuts import get_object_or_404

from members.models import Member, Organization


def member_profile(*, public_id: str) -> Member:
    return get_object_or_404(
        Member.objects.select_related("organization").filter(is_active=True), public_id=public_id
    )


def organizations_featured(*, limit: int = 12) -> list[Organization]:
    return list(Organization.objects.order_by("name")[:limit])

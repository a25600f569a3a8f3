"""State changes of members: keyword-only, validated, inside a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.markdown import clean_line
from core.zones import validate_zone
from members.models import Language, Member, Organization, OrganizationFollow


def member_update_settings(
    *,
    member: Member,
    full_name: str,
    country: str,
    language: str,
    time_zone: str,
) -> Member:
    """What a member sets about themself. Never their organization: every organizer
    permission follows `organization_id`, so staff assign it (the admin)."""
    if language not in Language.values:
        raise ValidationError({"language": "Unknown language."})
    validate_zone(time_zone)
    with transaction.atomic():
        member.full_name = clean_line(full_name)
        member.country = country
        member.language = language
        member.time_zone = time_zone
        member.full_clean(exclude=["password"])
        member.save(update_fields=["full_name", "country", "language", "time_zone"])
    return member


def member_set_language(*, member: Member, language: str) -> Member:
    if language not in Language.values:
        raise ValidationError({"language": "Unknown language."})
    Member.objects.filter(pk=member.pk).update(language=language)
    member.language = language
    return member


def member_set_time_zone(*, member: Member, time_zone: str) -> Member:
    validate_zone(time_zone)
    Member.objects.filter(pk=member.pk).update(time_zone=time_zone)
    member.time_zone = time_zone
    return member


def organization_follow(*, member: Member, organization: Organization) -> OrganizationFollow:
    """The member follows the organization: its published events join their calendar
    feed. Following again (a double click, two requests at once) keeps the one row: the
    unique constraint lets one insert win and get_or_create reads that row."""
    follow, _created = OrganizationFollow.objects.get_or_create(
        member=member, organization=organization
    )
    return follow


def organization_unfollow(*, member: Member, organization: Organization) -> None:
    """Stop following; nothing happens when the member did not follow it."""
    OrganizationFollow.objects.filter(member=member, organization=organization).delete()

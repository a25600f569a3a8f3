"""Who may run a webinar: platform staff, or a partner admin of an organizing organization."""

from django.core.exceptions import PermissionDenied

from webinars.models import Webinar


def can_manage_webinar(member, webinar: Webinar) -> bool:
    if member is None or not member.is_authenticated:
        return False
    if member.is_platform_staff:
        return True
    if not member.is_partner_admin or member.organization_id is None:
        return False
    return webinar.organizations.filter(pk=member.organization_id).exists()


def can_create_webinars(member) -> bool:
    return bool(
        member
        and member.is_authenticated
        and (member.is_platform_staff or (member.is_partner_admin and member.organization_id))
    )


def require_manager(member, webinar: Webinar) -> None:
    if not can_manage_webinar(member, webinar):
        raise PermissionDenied("You do not organize this webinar.")


def managed_webinar(request, slug: str) -> Webinar:
    """The webinar of an organizer page: 404 if there is none, 403 if not theirs."""
    from django.shortcuts import get_object_or_404

    webinar = get_object_or_404(Webinar, slug=slug)
    require_manager(request.user, webinar)
    return webinar

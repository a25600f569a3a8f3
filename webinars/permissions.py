"""Who may run a webinar: platform staff, or a partner admin of an organizing organization."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from webinars.models import Series, Webinar


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
        raise PermissionDenied(_("You do not organize this webinar."))


def managed_webinar(request, slug: str) -> Webinar:
    """The webinar of an organizer page: 404 if there is none, 403 if not theirs."""
    from django.shortcuts import get_object_or_404

    webinar = get_object_or_404(Webinar, slug=slug)
    require_manager(request.user, webinar)
    return webinar


def usable_series(member, *, organization_ids=(), current_id: int | None = None) -> QuerySet:
    """The series `member` may attach a webinar or community to: every one for platform
    staff; otherwise their organization's (and `organization_ids`', e.g. the community's
    owner). The series already attached stays a choice."""
    if member is not None and member.is_authenticated and member.is_platform_staff:
        return Series.objects.all()
    owners = {pk for pk in (*organization_ids, getattr(member, "organization_id", None)) if pk}
    allowed = Q(organization_id__in=owners)
    if current_id:
        allowed |= Q(pk=current_id)
    return Series.objects.filter(allowed)


def may_use_series(member, series: Series | None, *, organization_ids=(), current_id=None) -> bool:
    if series is None or series.pk == current_id:
        return True
    return usable_series(member, organization_ids=organization_ids).filter(pk=series.pk).exists()

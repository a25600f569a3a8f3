"""Who may do what with a survey. Services and selectors call these; templates never decide."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from surveys.models import Survey


def is_staff(member) -> bool:
    return bool(member is not None and member.is_authenticated and member.is_platform_staff)


def can_author(member) -> bool:
    """Any signed-in member may draft a survey."""
    return bool(member is not None and member.is_authenticated and member.is_active)


def can_edit(member, survey: Survey) -> bool:
    if member is None or not member.is_authenticated:
        return False
    return survey.owner_id == member.pk or is_staff(member)


def require_author(member) -> None:
    if not can_author(member):
        raise PermissionDenied(_("Sign in to write a survey."))


def require_editor(member, survey: Survey) -> None:
    if not can_edit(member, survey):
        raise PermissionDenied(_("This is not your survey."))


def can_send_to_community(member, community) -> bool:
    from communities.permissions import can_moderate, membership_of

    return can_moderate(member, community, membership_of(member, community))


def can_send_to_webinar(member, webinar) -> bool:
    from webinars.permissions import can_manage_webinar

    return can_manage_webinar(member, webinar)


def require_audience(member, *, audience: str, community=None, webinar=None) -> None:
    """Sending needs the right role: a community's moderators or owners for its members,
    a webinar's organizers for its registrants, attendees or no-shows, staff for everyone."""
    A = Survey.Audience
    if audience == A.EVERYONE:
        allowed = is_staff(member)
    elif audience == A.COMMUNITY:
        allowed = community is not None and can_send_to_community(member, community)
    elif audience in (A.REGISTRANTS, A.ATTENDEES, A.NO_SHOWS):
        allowed = webinar is not None and can_send_to_webinar(member, webinar)
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied(_("You may not send a survey to this audience."))

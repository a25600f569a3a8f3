"""The webinars sections of daily and weekly digests (registered with notifications.digests).

"Your upcoming webinars": the member's confirmed sessions in the next two weeks, for
members who take webinar reminders in this digest. "Coming up on Baraza": published
sessions in the member's language (or interpreted into it) they have not registered for.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.languages import shown
from notifications.digests import DigestItem, DigestSection
from webinars.models import Registration, Session, Webinar

HORIZON = timedelta(days=14)
UPCOMING_PER_MEMBER = 5


def webinar_digest_sections(members, kind: str, at: datetime, channels: dict) -> dict:
    member_ids = [m.pk for m in members]
    registrations = Registration.objects.filter(
        member_id__in=member_ids,
        status=Registration.Status.CONFIRMED,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gte=at,
        session__starts_at__lt=at + HORIZON,
    ).select_related("session", "webinar")
    registered: dict[int, list[Registration]] = {}
    for registration in registrations:
        registered.setdefault(registration.member_id, []).append(registration)
    upcoming = list(
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            webinar__status=Webinar.Status.PUBLISHED,
            starts_at__gte=at,
            starts_at__lt=at + HORIZON,
        )
        .select_related("webinar")
        .order_by("starts_at")[:50]
    )
    sections: dict[int, list[DigestSection]] = {}
    for member in members:
        wants = channels[member.pk]
        mine = registered.get(member.pk, [])
        found = []
        if wants.get("webinars.reminder") == kind and mine:
            items = [_item(r.webinar, member.language, when=r.session.starts_at) for r in mine]
            found.append(DigestSection(title=_("Your upcoming webinars"), items=items))
        if wants.get("webinars.upcoming") == kind:
            taken = {r.session_id for r in mine}
            items = [
                _item(
                    s.webinar,
                    member.language,
                    url=reverse("webinars:detail", args=[s.webinar.slug]),
                    when=s.starts_at,
                )
                for s in upcoming
                if s.pk not in taken and _speaks(member.language, s.webinar)
            ][:UPCOMING_PER_MEMBER]
            if items:
                found.append(DigestSection(title=_("Coming up on Baraza"), items=items))
        if found:
            sections[member.pk] = found
    return sections


def _item(webinar: Webinar, language: str, **fields) -> DigestItem:
    """The webinar's title in the member's language, or another language's, named."""
    title = shown(webinar, "title", reader=language)
    return DigestItem(
        title=title.text, language=title.language if title.is_fallback else "", **fields
    )


def _speaks(language: str, webinar: Webinar) -> bool:
    return webinar.language == language or language in (webinar.interpretation_languages or [])

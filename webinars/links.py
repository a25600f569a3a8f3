"""Links sent to registrants: the personal join link (and when it lets people in) and the
signed manage link."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.links import absolute_url
from webinars.models import Registration, Session

MANAGE_SALT = "webinars.registration.manage"

# The join window: the personal join link lets a confirmed registrant into the room from
# JOIN_OPENS_BEFORE the start until the session's end, both instants included. The
# registration service, the waiting page and its countdown all ask these functions; the
# sentence "opens 30 minutes before the start" in the emails and the waiting page is
# checked against JOIN_OPENS_BEFORE by tests/webinars/test_registration_rules.py.
JOIN_OPENS_BEFORE: Final = timedelta(minutes=30)


def join_opens_at(session: Session) -> datetime:
    return session.starts_at - JOIN_OPENS_BEFORE


def join_closes_at(session: Session) -> datetime:
    return session.ends_at


def join_window_open(session: Session, at: datetime) -> bool:
    return join_opens_at(session) <= at <= join_closes_at(session)


def join_window_over(session: Session, at: datetime) -> bool:
    return at > join_closes_at(session)


def seconds_until_join_opens(session: Session, at: datetime) -> int:
    """Whole seconds until the room opens; 0 once it has."""
    return max(0, int((join_opens_at(session) - at).total_seconds()))


def waiting_time(seconds: int) -> str:
    """How long until the room opens, as people say it, the two largest units:
    '9 days, 23 hours', '4 hours, 40 minutes', '12 minutes' (whole minutes, rounded up,
    so a wait never reads as none)."""
    minutes = -(-max(0, seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        ngettext("%(count)d day", "%(count)d days", days) % {"count": days} if days else "",
        ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours} if hours else "",
        ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        if minutes and not days
        else "",
    ]
    # Translators: between two parts of a waiting time, as in "9 days, 23 hours".
    return _(", ").join(part for part in parts if part) or ngettext(
        "%(count)d minute", "%(count)d minutes", 0
    ) % {"count": 0}


def join_url(registration: Registration) -> str:
    return absolute_url(reverse("join", args=[registration.join_token]))


def qa_url(registration: Registration) -> str:
    """The session's live Q&A room, entered under the name the person registered with."""
    return absolute_url(reverse("join_qa", args=[registration.join_token]))


def manage_token(registration: Registration) -> str:
    # The join token is part of the payload: revoking it also revokes the manage link.
    return signing.dumps([registration.pk, registration.join_token[:8]], salt=MANAGE_SALT)


def manage_url(registration: Registration) -> str:
    return absolute_url(reverse("webinars:manage_registration", args=[manage_token(registration)]))


def registration_from_manage_token(token: str) -> Registration | None:
    try:
        pk, join_prefix = signing.loads(token, salt=MANAGE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    registration = Registration.objects.select_related("webinar", "session").filter(pk=pk).first()
    if registration is None or registration.join_token[:8] != join_prefix:
        return None
    return registration

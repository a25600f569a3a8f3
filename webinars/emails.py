"""Emails to registrants: in their language, times in their zone, with calendar invites."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from core.clock import now
from core.ics import CalendarEntry, invitation
from core.links import absolute_url
from core.zones import format_instant
from notifications.rendering import render_email
from webinars.links import join_url, manage_url, qa_url
from webinars.models import Registration, Session

Status = Registration.Status

# kind → (template, attach an invitation?, statuses the registration must still have)
KINDS = {
    "confirmed": ("confirmed", True, {Status.CONFIRMED}),
    "approved": ("confirmed", True, {Status.CONFIRMED}),
    "promoted": ("promoted", True, {Status.CONFIRMED}),
    "waitlisted": ("waitlisted", False, {Status.WAITLISTED}),
    "pending": ("pending", False, {Status.PENDING}),
    "rejected": ("rejected", False, {Status.REJECTED}),
    "cancelled": ("cancelled", True, {Status.CANCELLED}),
    "rescheduled": ("rescheduled", True, Registration.ACTIVE_STATUSES),
    "session_cancelled": ("session_cancelled", True, Registration.ACTIVE_STATUSES),
    "reminder": ("reminder", False, {Status.CONFIRMED}),
}


def still_relevant(registration: Registration, kind: str) -> bool:
    """A queued email whose reason has gone (cancelled since, session over) is dropped."""
    if kind not in KINDS:
        return False
    if registration.status not in KINDS[kind][2]:
        return False
    if kind == "reminder":
        session = registration.session
        return session.status == Session.Status.SCHEDULED and session.starts_at > now()
    return True


def calendar_entry(session: Session, *, description: str = "", url: str = "") -> CalendarEntry:
    return CalendarEntry(
        uid=session.ical_uid,
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.webinar.title,
        description=description,
        url=url,
        cancelled=session.status == Session.Status.CANCELLED,
    )


def registration_calendar_entry(
    registration: Registration, *, description: str = "", url: str = ""
) -> CalendarEntry:
    """The one event a registration keeps in its attendee's calendar: its own UID and
    SEQUENCE, the time of the session it is for now."""
    entry = calendar_entry(registration.session, description=description, url=url)
    entry.uid = registration.ical_uid
    entry.sequence = registration.ical_sequence
    entry.cancelled = entry.cancelled or registration.status not in Registration.ACTIVE_STATUSES
    return entry


def _context(registration: Registration) -> dict:
    session, webinar = registration.session, registration.webinar
    zone = registration.time_zone
    return {
        "registration": registration,
        "webinar": webinar,
        "session": session,
        "starts": format_instant(session.starts_at, zone),
        "ends": format_instant(session.ends_at, zone),
        "join_url": join_url(registration),
        "manage_url": manage_url(registration),
        "qa_url": qa_url(registration),
        "webinar_url": absolute_url(f"/webinars/{webinar.slug}/"),
        "site_url": settings.SITE_URL,
    }


def _render(template: str, context: dict, registration: Registration) -> EmailMultiAlternatives:
    return render_email(
        f"webinars/email/{template}",
        context,
        to=registration.email,
        language=registration.language,
    )


def registration_email(registration: Registration, kind: str) -> EmailMultiAlternatives:
    template, with_invite, _statuses = KINDS[kind]
    with translation.override(registration.language):
        context = _context(registration)
        context["kind"] = kind
        message = _render(template, context, registration)
        if with_invite:
            cancelled = kind in ("cancelled", "session_cancelled")
            invite_for_active = registration.status == Status.CONFIRMED or cancelled
            if invite_for_active:
                entry = registration_calendar_entry(
                    registration,
                    description=f"{context['webinar_url']}\n{context['join_url']}",
                    url=context["join_url"],
                )
                entry.cancelled = cancelled
                ics = invitation(
                    entry,
                    attendee_email=registration.email,
                    attendee_name=registration.full_name,
                    stamp=now(),
                )
                # Django adds the charset parameter to text/* parts itself: naming it here
                # too gave the part two.
                method = "CANCEL" if cancelled else "REQUEST"
                message.attach("invite.ics", ics, f"text/calendar; method={method}")
    return message


# Apps above webinars add a paragraph with a link to the follow-up email (a feedback
# survey's personal link) without webinars importing them: a provider is a callable
# (registration, kind) -> {"text", "label", "url"} | None, registered in AppConfig.ready()
# and called in the recipient's language.
FollowupExtra = Callable[[Registration, str], dict | None]
_FOLLOWUP_EXTRAS: list[FollowupExtra] = []


def followup_extra_register(provider: FollowupExtra) -> None:
    if provider not in _FOLLOWUP_EXTRAS:
        _FOLLOWUP_EXTRAS.append(provider)


def followup_extras(registration: Registration, kind: str) -> list[dict]:
    extras = [provider(registration, kind) for provider in _FOLLOWUP_EXTRAS]
    return [extra for extra in extras if extra]


def followup_email(registration: Registration, kind: str) -> EmailMultiAlternatives:
    """The follow-up (`FollowUpDelivery.Kind`: thank you, or sorry we missed you) with the
    recording and slides, in the registrant's language, times in their zone."""
    with translation.override(registration.language):
        context = _context(registration)
        context.update(
            {
                "kind": kind,
                "recording_url": registration.webinar.recording_url,
                "slides_url": registration.webinar.slides_url,
                "extras": followup_extras(registration, kind),
            }
        )
        return _render(kind, context, registration)


def organizer_message_email(registration: Registration, subject: str, body: str):
    with translation.override(registration.language):
        context = _context(registration)
        context.update({"subject": subject, "body": body})
        return _render("organizer_message", context, registration)

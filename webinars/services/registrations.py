"""Registration by email: one per webinar per address, seats and waitlist under a row lock.

Locking discipline: every change that can take or free a seat locks the session row
first (`SELECT … FOR UPDATE`; on SQLite the IMMEDIATE transaction serialises writers),
then counts confirmed registrations. Two sessions are always locked in id order.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from core.clock import now
from core.markdown import clean_line
from webinars.links import join_window_open
from webinars.models import Registration, Session, Webinar
from webinars.permissions import require_manager
from webinars.services.notify import notice_number, notify_registration

Status = Registration.Status
RESEND_EVERY = timedelta(minutes=10)


class RegistrationClosed(ValidationError):
    pass


@dataclass
class RegistrationOutcome:
    registration: Registration
    created: bool
    resent: bool = False  # registered already, and the confirmation went out again


def registration_closed_reason(webinar: Webinar, at) -> str | None:
    """Why nobody can register for `webinar` at `at`, or None while registration is open."""
    if webinar.status != Webinar.Status.PUBLISHED:
        return _("This webinar is not open for registration.")
    if webinar.registration_opens_at and at < webinar.registration_opens_at:
        return _("Registration has not opened yet.")
    if webinar.registration_closes_at and at > webinar.registration_closes_at:
        return _("Registration has closed.")
    return None


def _check_open(webinar: Webinar, session: Session, at) -> None:
    if (reason := registration_closed_reason(webinar, at)) is not None:
        raise RegistrationClosed(reason)
    if session.webinar_id != webinar.pk or session.status != Session.Status.SCHEDULED:
        raise RegistrationClosed(_("This session is not open for registration."))
    if at >= session.ends_at:
        raise RegistrationClosed(_("This session is over."))


def _lock_session(session_id: int) -> Session:
    return Session.objects.select_for_update().select_related("webinar").get(pk=session_id)


def _seat_status(webinar: Webinar, session: Session) -> str:
    if webinar.approval_required:
        return Status.PENDING
    return Status.CONFIRMED if _has_seat(session) else Status.WAITLISTED


def _has_seat(session: Session) -> bool:
    if session.capacity is None:
        return True
    taken = Registration.objects.filter(session=session, status=Status.CONFIRMED).count()
    return taken < session.capacity


def _promote_waitlisted(session: Session) -> Registration | None:
    """Give a freed seat to the first waitlisted person (the session is locked)."""
    if not _has_seat(session):
        return None
    first = (
        Registration.objects.filter(session=session, status=Status.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if first is None:
        return None
    first.status = Status.CONFIRMED
    first.status_changed_at = now()
    first.save(update_fields=["status", "status_changed_at"])
    notify_registration(first, "promoted")
    return first


def _registered(webinar: Webinar, email: str) -> Registration | None:
    return (
        Registration.objects.select_for_update()
        .alias(email_lower=Lower("email"))  # the unique (webinar, lower(email)) index
        .filter(webinar=webinar, email_lower=email.lower())
        .first()
    )


def _resend(registration: Registration, at) -> bool:
    """Registering again re-sends the confirmation, at most once per RESEND_EVERY counted
    from the last email about this registration. The row is locked, so a burst of
    submissions is decided one at a time: the first one's email is the burst's email."""
    last = registration.last_notice_at
    if last is not None and at - last < RESEND_EVERY:
        return False
    notify_registration(registration, registration.status, at=at)
    return True


def registration_create(
    *,
    webinar: Webinar,
    session: Session,
    email: str,
    full_name: str,
    organization_name: str = "",
    country: str = "",
    language: str = "en",
    time_zone: str = "UTC",
    answers: dict | None = None,
    consent: bool,
    source: str = "",
    member=None,
    by_organizer: bool = False,
) -> RegistrationOutcome:
    """Register `email` for `session`; registering again re-sends the confirmation."""
    if not consent and not by_organizer:
        raise ValidationError({"consent": _("Please agree so we can email you about it.")})
    at = now()
    email = email.strip()
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if not by_organizer:
            _check_open(webinar, locked, at)
        fields = {
            "session": locked,
            "member": member,
            "full_name": clean_line(full_name),
            "organization_name": clean_line(organization_name),
            "country": country,
            "language": language,
            "time_zone": time_zone,
            "answers": answers or {},
            "consent": consent,
            "source": source[:60],
            "status": Status.CONFIRMED if by_organizer else _seat_status(webinar, locked),
            "status_changed_at": at,
        }
        try:
            # The unique (webinar, lower(email)) index decides who is new: also between
            # two requests for two sessions of the webinar at the same instant.
            with transaction.atomic():
                registration = Registration(webinar=webinar, email=email, created_at=at, **fields)
                notice_number(registration, at)
                registration.save(force_insert=True)
        except IntegrityError:
            existing = _registered(webinar, email)
            if existing is None:
                raise
            registration = existing
            if registration.status in Registration.ACTIVE_STATUSES:
                resent = _resend(registration, at)
                return RegistrationOutcome(registration, created=False, resent=resent)
            for name, value in fields.items():  # cancelled or rejected earlier: start afresh
                setattr(registration, name, value)
            registration.created_at = at
            notice_number(registration, at)
            registration.save()
        notify_registration(registration, registration.status, saved=True)
    return RegistrationOutcome(registration, created=True)


def registration_cancel(*, registration: Registration, actor=None) -> Registration:
    """Cancel (by the registrant through the manage link, or by an organizer)."""
    if actor is not None:
        require_manager(actor, registration.webinar)
    with transaction.atomic():
        session = _lock_session(registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return registration
        registration.status = Status.CANCELLED
        registration.status_changed_at = now()
        registration.save(update_fields=["status", "status_changed_at"])
        notify_registration(registration, "cancelled")
        _promote_waitlisted(session)
    return registration


def registration_switch_session(*, registration: Registration, session: Session) -> Registration:
    if session.webinar_id != registration.webinar_id:
        raise ValidationError(_("That session belongs to another webinar."))
    if session.pk == registration.session_id:
        return registration
    with transaction.atomic():
        first, second = sorted([registration.session_id, session.pk])
        locked = {s: _lock_session(s) for s in (first, second)}
        old, new = locked[registration.session_id], locked[session.pk]
        _check_open(new.webinar, new, now())
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in Registration.ACTIVE_STATUSES:
            raise ValidationError(_("This registration is no longer active."))
        registration.session = new
        if registration.status != Status.PENDING:
            registration.status = Status.CONFIRMED if _has_seat(new) else Status.WAITLISTED
        registration.status_changed_at = now()
        registration.save(update_fields=["session", "status", "status_changed_at"])
        notify_registration(registration, registration.status)
        _promote_waitlisted(old)
    return registration


def _decide(registration: Registration, actor, *, approve: bool) -> Registration:
    require_manager(actor, registration.webinar)
    with transaction.atomic():
        session = _lock_session(registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.PENDING:
            raise ValidationError(_("Only pending registrations can be approved or rejected."))
        if approve:
            registration.status = Status.CONFIRMED if _has_seat(session) else Status.WAITLISTED
            kind = "approved" if registration.status == Status.CONFIRMED else "waitlisted"
        else:
            registration.status, kind = Status.REJECTED, "rejected"
        registration.status_changed_at = now()
        registration.save(update_fields=["status", "status_changed_at"])
        notify_registration(registration, kind)
    return registration


def registration_approve(*, registration: Registration, actor) -> Registration:
    return _decide(registration, actor, approve=True)


def registration_reject(*, registration: Registration, actor) -> Registration:
    return _decide(registration, actor, approve=False)


def registration_record_join(*, registration: Registration) -> bool:
    """Record the first click on the personal join link. True when the room is open."""
    session = registration.session
    at = now()
    if registration.status != Status.CONFIRMED:
        raise PermissionDenied
    if not join_window_open(session, at):
        return False
    Registration.objects.filter(pk=registration.pk, join_first_clicked_at__isnull=True).update(
        join_first_clicked_at=at
    )
    return True

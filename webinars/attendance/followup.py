"""After the webinar: the recording and slides to everyone who registered and had a seat.

Attendees (a report places them in a session, or they clicked their join link) get a
"thank you"; confirmed registrants of a session that is over who left no trace get a
"sorry we missed you". Each registration gets one follow-up, ever: a `FollowUpDelivery`
row (unique per registration) is inserted before its email is queued, on commit, so
publishing twice, or two workers at once, send nothing twice. Registrants of sessions
still to come are left for a later publish; walk-ins have no registration and no consent
to be emailed, so they get nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.clock import now
from webinars.emails import followup_email
from webinars.models import FollowUpDelivery, Registration, Session, Webinar
from webinars.permissions import require_manager

Kind = FollowUpDelivery.Kind

__all__ = [  # followup_email is rendered in webinars.emails; the worker's task imports it here
    "followup_claim_due",
    "followup_email",
    "followup_pending",
    "webinar_publish_followup",
]


def _check_url(value: str, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["https", "http"])(value)
        except ValidationError:
            raise ValidationError({field: _("Enter a full web address (https://…).")})
    return value


def webinar_publish_followup(
    *, webinar: Webinar, actor, recording_url: str, slides_url: str
) -> dict[str, int]:
    """Save the recording and slides and queue the follow-ups; returns what will be sent."""
    from webinars.tasks import followup_dispatch

    require_manager(actor, webinar)
    recording_url = _check_url(recording_url, "recording_url")
    slides_url = _check_url(slides_url, "slides_url")
    if not recording_url and not slides_url:
        raise ValidationError(_("Give the recording, the slides, or both."))
    with transaction.atomic():
        Webinar.objects.filter(pk=webinar.pk).update(
            recording_url=recording_url, slides_url=slides_url
        )
        webinar.recording_url, webinar.slides_url = recording_url, slides_url
        counts = followup_pending(webinar=webinar)
        transaction.on_commit(lambda: followup_dispatch.delay(webinar.pk))
    return counts


def _due(webinar: Webinar):
    """Registrations a follow-up is due to now: sessions over, not yet followed up."""
    at = now()
    ended = [
        s.pk
        for s in Session.objects.filter(webinar=webinar, status=Session.Status.SCHEDULED)
        if s.ends_at <= at
    ]
    return (
        Registration.objects.filter(session_id__in=ended)
        .filter(
            Q(status=Registration.Status.CONFIRMED)
            | Q(status=Registration.Status.CANCELLED, attendance__isnull=False)
        )
        .exclude(follow_ups__isnull=False)
    )


def followup_pending(*, webinar: Webinar) -> dict[str, int]:
    """How many thank-yous and sorry-we-missed-yous a publish would send now."""
    kinds = [kind for _pk, kind in due_rows(webinar)]
    return {
        "thank_you": kinds.count(Kind.THANK_YOU),
        "sorry_missed": kinds.count(Kind.SORRY_MISSED),
        "already_sent": FollowUpDelivery.objects.filter(registration__webinar=webinar).count(),
    }


def followup_claim_due(*, webinar: Webinar) -> dict[str, int]:
    """Claim and queue every follow-up due now (the worker runs this after a publish)."""
    if not (webinar.recording_url or webinar.slides_url):
        return {"sent": 0, "already_sent": 0}
    rows = list(due_rows(webinar))
    claimed = skipped = 0
    at = now()
    for pk, kind in rows:
        if _claim(pk, kind, at):
            claimed += 1
        else:
            skipped += 1
    return {"sent": claimed, "already_sent": skipped}


def due_rows(webinar: Webinar):
    for pk, status, clicked, attendance in _due(webinar).values_list(
        "pk", "status", "join_first_clicked_at", "attendance__id"
    ):
        if clicked is not None or attendance is not None:
            yield pk, Kind.THANK_YOU
        elif status == Registration.Status.CONFIRMED:
            yield pk, Kind.SORRY_MISSED


def _claim(registration_id: int, kind: str, at) -> bool:
    from webinars.tasks import followup_send

    try:
        with transaction.atomic():
            FollowUpDelivery.objects.create(
                registration_id=registration_id, kind=kind, created_at=at
            )
            transaction.on_commit(lambda: followup_send.delay(registration_id))
    except IntegrityError:
        return False  # another pass claimed it first
    return True


def followup_deliver(*, registration_id: int) -> bool:
    """The worker's half: one claimed follow-up's email (the "Recordings and slides"
    category can be switched off), once — its event key is the registration's."""
    from webinars.services.notify import registration_email_deliver

    delivery = (
        FollowUpDelivery.objects.select_related(
            "registration__webinar", "registration__session", "registration__member"
        )
        .filter(registration_id=registration_id)
        .first()
    )
    if delivery is None:
        return False
    registration = delivery.registration
    if not (registration.webinar.recording_url or registration.webinar.slides_url):
        return False
    return registration_email_deliver(
        registration,
        followup_email(registration, delivery.kind),
        f"webinars.{delivery.kind}",
        dedupe_key=f"webinars.follow-up.{registration_id}",
    )

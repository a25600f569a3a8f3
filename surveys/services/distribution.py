"""Who is asked, and their emails: invitations, one reminder, the author's notice.

Sending to an audience stores one `Invitation` per address (unique per survey, so
sending twice asks nobody twice) and, after commit, queues a fan-out task; the fan-out
queues one task per invitation whose email is not stored yet. Each email is an
`OutboundEmail` with an event key (`surveys.invitation.<id>`, `surveys.reminder.<id>`):
the outbox's unique index makes it exactly once, in the recipient's language, with the
unsubscribe link of the "Survey invitations" category (an address that unsubscribed gets
nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.clock import now
from core.languages import CONTENT_LANGUAGES, pick
from core.links import absolute_url
from core.zones import format_instant
from surveys.models import Invitation, Survey
from surveys.permissions import require_audience, require_editor

INVITATION_KIND = "surveys.invitation"
REMINDER_KIND = "surveys.reminder"
CLOSED_KIND = "surveys.closed"
MAX_LIST = 5000
INSERT_BATCH = 500  # rows per insert (and per count of what it stored)


@dataclass(frozen=True)
class Person:
    email: str
    language: str
    member_id: int | None


def _language(code: str | None) -> str:
    return code if code in CONTENT_LANGUAGES else "en"


def audience_people(*, survey: Survey) -> list[Person]:
    """Everyone the survey's audience names now (one query)."""
    from communities.models import Membership
    from members.models import Member
    from webinars.models import Registration, Session

    A = Survey.Audience
    rows: Any
    if survey.audience == A.COMMUNITY and survey.community_id:
        rows = Membership.objects.filter(
            community_id=survey.community_id, member__is_active=True
        ).values_list("member__email", "member__language", "member_id")
    elif survey.audience == A.EVERYONE:
        rows = Member.objects.filter(is_active=True).values_list("email", "language", "pk")
    elif survey.audience in (A.REGISTRANTS, A.ATTENDEES, A.NO_SHOWS) and survey.webinar_id:
        registrations = Registration.objects.filter(webinar_id=survey.webinar_id)
        came = Q(attendance__isnull=False) | Q(join_first_clicked_at__isnull=False)
        if survey.audience == A.REGISTRANTS:
            registrations = registrations.filter(status__in=Registration.ACTIVE_STATUSES)
        elif survey.audience == A.ATTENDEES:
            registrations = registrations.filter(came)
        else:
            at = now()
            ended = [
                s.pk
                for s in Session.objects.filter(
                    webinar_id=survey.webinar_id, status=Session.Status.SCHEDULED
                )
                if s.ends_at <= at
            ]
            registrations = registrations.filter(
                status=Registration.Status.CONFIRMED, session_id__in=ended
            ).exclude(came)
        rows = registrations.values_list("email", "language", "member_id")
    else:
        return []
    return [Person(email, _language(language), member_id) for email, language, member_id in rows]


def _invite(survey: Survey, people: list[Person], source: str) -> int:
    """Store an invitation for each address not invited yet; returns how many are new.

    The unique index (survey, lower(email)) decides which addresses are new: the insert
    skips those stored before, or by a send running at the same time, without reading the
    survey's invitations first. The rows this call stored are the ones whose (fresh,
    unique) token is in the table afterwards."""
    at = now()
    fresh: dict[str, Person] = {}
    for person in people:
        fresh.setdefault(person.email.lower(), person)
    rows = [
        Invitation(
            survey=survey,
            member_id=p.member_id,
            email=p.email,
            language=p.language,
            source=source,
            created_at=at,
        )
        for p in fresh.values()
    ]
    added = 0
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        Invitation.objects.bulk_create(batch, ignore_conflicts=True)
        added += Invitation.objects.filter(token__in=[i.token for i in batch]).count()
    return added


def _queue_fan_out(survey_id: int, kind: str) -> None:
    from surveys.tasks import survey_fan_out

    transaction.on_commit(lambda: survey_fan_out.delay(survey_id, kind))


def survey_send(*, survey: Survey, actor, audience: str, community=None, webinar=None) -> int:
    """Send the survey to an audience the actor may address (checked here); the survey
    opens if it was a draft. Returns how many new people are asked."""
    from surveys.services.authoring import survey_open

    require_editor(actor, survey)
    require_audience(actor, audience=audience, community=community, webinar=webinar)
    with transaction.atomic():
        if survey.status == Survey.Status.CLOSED:
            raise ValidationError(_("This survey is closed."))
        if survey.status == Survey.Status.DRAFT:
            survey = survey_open(survey=survey, actor=actor)
        survey.audience = audience
        survey.community = community if audience == Survey.Audience.COMMUNITY else None
        survey.webinar = (
            webinar if webinar is not None and audience != Survey.Audience.COMMUNITY else None
        )
        survey.save(update_fields=["audience", "community", "webinar", "updated_at"])
        added = _invite(survey, audience_people(survey=survey), "audience")
        _queue_fan_out(survey.pk, "invitation")
    return added


def email_list_parse(text: str) -> list[Person]:
    """Lines `address` or `address, language`; every bad line is reported with its number
    and nothing is kept when any is wrong."""
    people, problems = [], []
    lines = [line for line in (text or "").splitlines()]
    if len([line for line in lines if line.strip()]) > MAX_LIST:
        raise ValidationError(_("At most %(n)d addresses at a time.") % {"n": MAX_LIST})
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        address = parts[0]
        language = parts[1].lower() if len(parts) > 1 and parts[1] else "en"
        try:
            validate_email(address)
        except ValidationError:
            problems.append(
                _("Line %(n)d: “%(text)s” is not an email address.")
                % {"n": number, "text": address[:80]}
            )
            continue
        if language not in CONTENT_LANGUAGES:
            problems.append(
                _("Line %(n)d: the language must be one of %(codes)s.")
                % {"n": number, "codes": ", ".join(CONTENT_LANGUAGES)}
            )
            continue
        people.append(Person(address, language, None))
    if problems:
        raise ValidationError(problems)
    if not people:
        raise ValidationError(_("Give at least one email address."))
    return people


def survey_send_to_list(*, survey: Survey, actor, text: str) -> int:
    """An uploaded list: members found by address are linked; everyone else gets a
    personal token link (no account needed). The author's own survey: no role needed."""
    from members.models import Member

    require_editor(actor, survey)
    people = email_list_parse(text)
    from django.db.models.functions import Lower

    members = dict(
        Member.objects.annotate(address=Lower("email"))
        .filter(address__in=[p.email.lower() for p in people])
        .values_list("address", "pk")
    )
    people = [Person(p.email, p.language, members.get(p.email.lower())) for p in people]
    with transaction.atomic():
        if survey.status == Survey.Status.CLOSED:
            raise ValidationError(_("This survey is closed."))
        if survey.status == Survey.Status.DRAFT:
            from surveys.services.authoring import survey_open

            survey_open(survey=survey, actor=actor)
        added = _invite(survey, people, "list")
        _queue_fan_out(survey.pk, "invitation")
    return added


def survey_remind(*, survey: Survey, actor) -> int:
    """The one reminder, to invited people who have not submitted: once per survey."""
    require_editor(actor, survey)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != Survey.Status.OPEN:
            raise ValidationError(_("Only an open survey can send a reminder."))
        if locked.reminder_sent_at is not None:
            raise ValidationError(_("The reminder has been sent already (one per survey)."))
        locked.reminder_sent_at = now()
        locked.save(update_fields=["reminder_sent_at"])
        survey.reminder_sent_at = locked.reminder_sent_at
        pending = Invitation.objects.filter(survey=survey, responded=False).count()
        _queue_fan_out(survey.pk, "reminder")
    return pending


def invitation_url(invitation: Invitation) -> str:
    return absolute_url(reverse("surveys:invitation", args=[invitation.token]))


def event_key(kind: str, invitation_id: int) -> str:
    return f"surveys.{kind}.{invitation_id}"


# --- the worker's half ----------------------------------------------------------------------


def fan_out(*, survey_id: int, kind: str) -> int:
    """Queue one task per invitation whose email is not stored yet (run again, it skips
    what is stored: a fan-out redelivered after its worker died picks up where it stopped)."""
    from notifications.delivery import emails_stored
    from surveys.tasks import invitation_email

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or survey.status != Survey.Status.OPEN:
        return 0
    invitations = Invitation.objects.filter(survey=survey)
    if kind == "reminder":
        if survey.reminder_sent_at is None:
            return 0
        invitations = invitations.filter(responded=False)
    ids = list(invitations.order_by("pk").values_list("pk", flat=True))
    done = emails_stored(event_key(kind, pk) for pk in ids)
    queued = 0
    for pk in ids:
        if event_key(kind, pk) in done:
            continue
        invitation_email.delay(pk, kind)
        queued += 1
    return queued


def invitation_email_send(*, invitation_id: int, kind: str) -> bool:
    """One invitation's email (or its reminder), once, in the recipient's language."""
    from notifications.delivery import email_queue, email_send_stored
    from notifications.rendering import render_email

    invitation = (
        Invitation.objects.select_related("survey", "member").filter(pk=invitation_id).first()
    )
    if invitation is None or kind not in ("invitation", "reminder"):
        return False
    survey = invitation.survey
    if survey.status != Survey.Status.OPEN:
        return False
    if kind == "reminder" and invitation.responded:
        return False
    language = invitation.member.language if invitation.member else invitation.language
    with translation.override(language):
        context = {
            "survey_title": pick(survey.title, language).text,
            "intro": pick(survey.intro, language).text,
            "link": invitation_url(invitation),
            "closes": format_instant(survey.closes_at, _zone_of(invitation, survey))
            if survey.closes_at
            else "",
            "anonymous": survey.anonymous,
            "reminder": kind == "reminder",
            "name": invitation.member.full_name if invitation.member else "",
        }
        message = render_email(
            "surveys/email/invitation", context, to=invitation.email, language=language
        )
    key = event_key(kind, invitation.pk)
    stored = email_queue(message=message, kind=f"surveys.{kind}", dedupe_key=key, deliver=False)
    email_send_stored(dedupe_key=key)
    return stored is not None


def _zone_of(invitation: Invitation, survey: Survey) -> str:
    if invitation.member is not None and invitation.member.time_zone:
        return invitation.member.time_zone
    return survey.zone


def notify_closed(survey: Survey) -> None:
    """Inside the closing transaction: the author's notification (and, per their
    preference, email) that the survey closed, with the link to its results."""
    from notifications.services import notify

    if survey.close_notified_at is not None:
        return
    Survey.objects.filter(pk=survey.pk).update(close_notified_at=now())
    survey.close_notified_at = now()
    owner = survey.owner
    with translation.override(owner.language):
        title = _("Your survey “%(title)s” has closed.") % {
            "title": pick(survey.title, owner.language).text
        }
    notify(
        recipient=owner,
        kind=CLOSED_KIND,
        title=title,
        url=reverse("surveys:results", args=[survey.slug]),
        target=f"surveys.survey:{survey.pk}",
    )


def surveys_close_due() -> int:
    """The beat task's pass: close every open survey whose closing time has come."""
    from surveys.services.authoring import survey_close

    at = now()
    closed = 0
    for survey in Survey.objects.filter(
        status=Survey.Status.OPEN, closes_at__lte=at
    ).select_related("owner"):
        if survey_close(survey=survey, at=at):
            closed += 1
    return closed


# --- post-webinar feedback ---------------------------------------------------------------


def feedback_attach(*, survey: Survey, actor, webinar) -> Survey:
    """Make `survey` the webinar's feedback survey: its follow-up emails carry each
    attendee's personal link. The actor must organize the webinar and own the survey."""
    require_editor(actor, survey)
    require_audience(actor, audience=Survey.Audience.ATTENDEES, webinar=webinar)
    with transaction.atomic():
        Survey.objects.filter(feedback_for=webinar).exclude(pk=survey.pk).update(feedback_for=None)
        survey.feedback_for = webinar
        survey.webinar = webinar
        survey.save(update_fields=["feedback_for", "webinar"])
    return survey


def feedback_link(registration, kind: str) -> dict[str, Any] | None:
    """The webinar follow-up's extra (registered with webinars): an attendee's personal
    link to the webinar's open feedback survey. The invitation is stored once per address."""
    survey = Survey.objects.filter(
        feedback_for_id=registration.webinar_id, status=Survey.Status.OPEN
    ).first()
    if survey is None or kind != "thank_you":
        return None
    invitation = Invitation.objects.filter(survey=survey, email__iexact=registration.email).first()
    if invitation is None:
        Invitation.objects.bulk_create(
            [
                Invitation(
                    survey=survey,
                    member_id=registration.member_id,
                    email=registration.email,
                    language=_language(registration.language),
                    source="feedback",
                    created_at=now(),
                )
            ],
            ignore_conflicts=True,
        )
        invitation = Invitation.objects.get(survey=survey, email__iexact=registration.email)
    return {
        "text": _("Tell us what you thought: a short feedback survey."),
        "label": _("Give your feedback"),
        "url": invitation_url(invitation),
    }

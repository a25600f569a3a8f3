"""Creating and changing webinars and their sessions."""

from collections.abc import Mapping
from datetime import datetime
from functools import cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.clock import now
from core.fields import max_length
from core.languages import CONTENT_LANGUAGES, in_language, texts_of
from core.markdown import render_markdown_translations
from core.slugs import free_slug, route_prefixes
from webinars.models import (
    OrganizerMessage,
    Registration,
    RegistrationQuestion,
    Session,
    Webinar,
)
from webinars.permissions import can_create_webinars, may_use_series, require_manager
from webinars.services.notify import notify_organizer_message, notify_session

# Written per language (`title_en`, `title_es`, `title_fr`); a plain `title` or
# `description` is the text in the webinar's language of delivery.
TRANSLATED_FIELDS = ("title", "description")
WEBINAR_FIELDS = {
    *TRANSLATED_FIELDS,
    *(f"{name}_{code}" for name in TRANSLATED_FIELDS for code in CONTENT_LANGUAGES),
    "slug",
    "language",
    "interpretation_languages",
    "audience",
    "audience_regions",
    "platform",
    "registration_opens_at",
    "registration_closes_at",
    "approval_required",
    "status",
    "series",
    "reminder_offsets",
    "recording_url",
    "slides_url",
    "glossary_links",
}


@cache
def reserved_slugs() -> frozenset[str]:
    """The first segments of /webinars/… routes (plan, manage, analytics, registration):
    a webinar with one of them as its slug would never be reached."""
    from webinars import urls

    return route_prefixes(urls.urlpatterns)


def _slug(webinar: Webinar, fields: dict) -> None:
    """An empty slug is made from the title (a new webinar) or kept (an existing one);
    a slug that is a route of its own is refused."""
    slug = (fields.get("slug") or "").strip()
    stored = None
    if webinar.pk:  # as stored: a bound ModelForm has already changed the instance
        stored = Webinar.objects.filter(pk=webinar.pk).values_list("slug", flat=True).first()
    if not slug:
        fields["slug"] = stored or free_slug(
            # the title in the language of delivery (a slug is made once, from the original)
            getattr(webinar, f"title_{webinar.language}", None) or webinar.title,
            taken=lambda s: Webinar.objects.filter(slug=s).exclude(pk=webinar.pk).exists(),
            reserved=reserved_slugs(),
            max_length=max_length(Webinar, "slug"),
            fallback="webinar",
        )
    elif slug != stored and slug.lower() in reserved_slugs():
        raise ValidationError({"slug": reserved_slug_message()})


def reserved_slug_message() -> str:
    return _("This address is taken by a page of the site; choose another.")


def webinar_text_errors(
    *, texts: Mapping[str, Mapping[str, str | None]], language: str
) -> dict[str, str]:
    """A webinar is written at least in the language it is given in: its title always,
    its description whenever it has one in another language. `texts` maps each of
    TRANSLATED_FIELDS to its text per language; the errors are keyed `title_fr`, ..."""
    errors: dict[str, str] = {}
    phrase = {"in_language": in_language(language)}

    def has(name: str, code: str) -> bool:
        return bool((texts.get(name, {}).get(code) or "").strip())

    if not has("title", language):
        errors[f"title_{language}"] = (
            _("Write the title %(in_language)s, the language the webinar is given in.") % phrase
        )
    if not has("description", language) and any(
        has("description", code) for code in CONTENT_LANGUAGES
    ):
        errors[f"description_{language}"] = (
            _("Write the description %(in_language)s too, the language the webinar is given in.")
            % phrase
        )
    return errors


def _apply(webinar: Webinar, fields: dict, actor) -> None:
    unknown = set(fields) - WEBINAR_FIELDS
    if unknown:
        raise TypeError(f"unknown webinar fields: {sorted(unknown)}")
    fields = dict(fields)
    texts_changed = "language" in fields or any(
        name.startswith(TRANSLATED_FIELDS) for name in fields
    )
    if "language" in fields:
        webinar.language = fields.pop("language")
    for name in TRANSLATED_FIELDS:
        if name in fields:  # the text in the language of delivery
            fields.setdefault(f"{name}_{webinar.language}", fields.pop(name))
    for name in [name for name in fields if name.startswith(TRANSLATED_FIELDS)]:
        setattr(webinar, name, fields.pop(name))
    if texts_changed and webinar.language in CONTENT_LANGUAGES:
        errors = webinar_text_errors(
            texts={name: texts_of(webinar, name) for name in TRANSLATED_FIELDS},
            language=webinar.language,
        )
        if errors:
            raise ValidationError(errors)
    if "slug" in fields or webinar.pk is None:
        _slug(webinar, fields)
    if "series" in fields:
        # As stored: a bound ModelForm has already put the new choice on the instance.
        stored = Webinar.objects.filter(pk=webinar.pk).values_list("series_id", flat=True)
        current_id = stored.first() if webinar.pk else None
        if not may_use_series(actor, fields["series"], current_id=current_id):
            raise ValidationError({"series": _("Choose a series of your own organization.")})
    for name, value in fields.items():
        setattr(webinar, name, value)
    render_markdown_translations(webinar, "description", "description_html")
    opens, closes = webinar.registration_opens_at, webinar.registration_closes_at
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close after it opens.")}
        )


def _set_questions(webinar: Webinar, questions: list[dict] | None) -> None:
    """Replace the custom questions; answers already given keep their question's text."""
    if questions is None:
        return
    webinar.questions.all().delete()
    RegistrationQuestion.objects.bulk_create(
        RegistrationQuestion(
            webinar=webinar,
            label=q["label"],
            choices=q.get("choices", []),
            required=q.get("required", False),
            kind=RegistrationQuestion.Kind.CHOICE
            if q.get("choices")
            else RegistrationQuestion.Kind.TEXT,
            position=index,
        )
        for index, q in enumerate(questions)
    )


def _cancel_sessions(webinar: Webinar) -> None:
    for session in webinar.sessions.select_for_update().filter(status=Session.Status.SCHEDULED):
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence"])
        notify_session(session, "session_cancelled")


def webinar_create(*, actor, organizations, topics=(), questions=None, **fields) -> Webinar:
    if not can_create_webinars(actor):
        raise PermissionDenied
    organizations = list(organizations)
    if not actor.is_platform_staff and actor.organization not in organizations:
        raise PermissionDenied(_("Partners organize webinars for their own organization."))
    with transaction.atomic():
        webinar = Webinar(created_by=actor)
        _apply(webinar, fields, actor)
        webinar.full_clean(exclude=["created_by", "series"])
        webinar.save()
        webinar.organizations.set(organizations)
        webinar.topics.set(topics)
        _set_questions(webinar, questions)
    return webinar


def webinar_update(
    *, webinar: Webinar, actor, organizations=None, topics=None, questions=None, **fields
) -> Webinar:
    """Change a webinar; cancelling it cancels its sessions and tells every registrant."""
    require_manager(actor, webinar)
    with transaction.atomic():
        was_cancelled = Webinar.objects.filter(
            pk=webinar.pk, status=Webinar.Status.CANCELLED
        ).exists()
        _apply(webinar, fields, actor)
        webinar.full_clean(exclude=["created_by", "series"])
        webinar.save()
        if organizations is not None:
            webinar.organizations.set(organizations)
        if topics is not None:
            webinar.topics.set(topics)
        _set_questions(webinar, questions)
        if webinar.status == Webinar.Status.CANCELLED and not was_cancelled:
            _cancel_sessions(webinar)
    return webinar


def session_create(
    *,
    webinar: Webinar,
    actor,
    starts_at: datetime,
    duration_minutes: int,
    host_zone: str,
    capacity: int | None = None,
    join_url: str = "",
    title: str = "",
) -> Session:
    require_manager(actor, webinar)
    session = Session(
        webinar=webinar,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        host_zone=host_zone,
        capacity=capacity,
        join_url=join_url,
        title=title,
    )
    session.full_clean()
    session.save()
    return session


def session_reschedule(
    *,
    session: Session,
    actor,
    starts_at: datetime,
    duration_minutes: int | None = None,
    **changes,
) -> Session:
    """Move a session: registrants get an update (same UID, SEQUENCE+1), reminders re-arm."""
    require_manager(actor, session.webinar)
    allowed = {"host_zone", "capacity", "join_url", "title"}
    if set(changes) - allowed:
        raise TypeError(f"unknown session fields: {sorted(set(changes) - allowed)}")
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        moved = starts_at != session.starts_at or (
            duration_minutes is not None and duration_minutes != session.duration_minutes
        )
        session.starts_at = starts_at
        if duration_minutes is not None:
            session.duration_minutes = duration_minutes
        for name, value in changes.items():
            setattr(session, name, value)
        if moved:
            session.sequence += 1
        session.full_clean()
        session.save()
        if moved and session.status == Session.Status.SCHEDULED:
            notify_session(session, "rescheduled")
    return session


def session_cancel(*, session: Session, actor) -> Session:
    require_manager(actor, session.webinar)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == Session.Status.CANCELLED:
            return session
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence"])
        notify_session(session, "session_cancelled")
    return session


def webinar_message_registrants(*, webinar: Webinar, actor, subject: str, body: str) -> int:
    """Store a message to every active registrant and queue it (each registrant's email
    is made from the stored message, by id); returns how many will receive it."""
    require_manager(actor, webinar)
    subject, body = subject.strip()[:200], body.strip()[:20_000]
    if not subject or not body:
        raise ValidationError(_("A message needs a subject and a text."))
    with transaction.atomic():
        message = OrganizerMessage.objects.create(
            webinar=webinar, subject=subject, body=body, sent_by=actor, created_at=now()
        )
        notify_organizer_message(message)
    return Registration.objects.filter(
        webinar=webinar, status__in=Registration.ACTIVE_STATUSES
    ).count()

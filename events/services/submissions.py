"""Events submitted by members of partner organizations, and their review.

A member of a partner organization submits an event for it; staff, or that
organization's admins, approve it (admins' own submissions are approved at once),
reject it with a reason, or edit it. The submitter hears through `notifications`.
Likely duplicates (the same UID, or a similar title starting within a day) are
flagged in the queue.

Times are entered as local wall-clock times at the venue (or in the zone chosen for an
online event). Changing the venue re-derives the zone and keeps the wall-clock time
the organizer entered: 10:00 stays 10:00 in the new place.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.clock import now
from core.markdown import clean_line, clean_source, render_markdown
from core.zones import clean_zone, local_to_utc
from events.models import Event, Venue
from events.places import city_get, zone_at
from events.recurrence import rule_clean
from events.services.subscriptions import can_manage_organization_events
from members.models import Organization
from notifications.services import notify

SIMILAR_TITLE = 0.8
DUPLICATE_WINDOW = timedelta(days=1)
# A second submission of the same event by the same member within this window is the
# first one again (a double click, a resent form), not a new event.
RESUBMIT_WINDOW = timedelta(minutes=10)


@dataclass
class EventDraft:
    """What an organizer entered (local wall-clock times, a place)."""

    kind: str
    title: str
    starts_local: datetime  # naive, wall clock at the venue / in `zone`
    ends_local: datetime
    online: bool
    description: str = ""
    info_url: str = ""
    all_day: bool = False
    zone: str = ""  # online events only
    city_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    venue_name: str = ""
    address: str = ""
    rrule: str = ""
    topics: Any = ()
    regions: list[str] | None = None
    languages: list[str] | None = None
    status: str = Event.Status.SCHEDULED


def can_submit_events(member) -> bool:
    return bool(
        member is not None
        and member.is_authenticated
        and (member.is_platform_staff or member.organization_id)
    )


def _place(draft: EventDraft) -> tuple[str, Venue | None]:
    """The zone and (unsaved) venue a draft's place gives."""
    if draft.online:
        if not draft.zone:
            raise ValidationError({"zone": _("Choose the time zone of an online event.")})
        return clean_zone(draft.zone), None
    city = city_get(draft.city_id)
    latitude, longitude = draft.latitude, draft.longitude
    if city is not None:
        latitude, longitude = city.latitude, city.longitude
    if latitude is None or longitude is None:
        raise ValidationError({"city": _("Pick the city of the venue, or give its coordinates.")})
    zone = zone_at(latitude=latitude, longitude=longitude)
    venue = Venue(
        name=clean_line(draft.venue_name)[:200],
        address=clean_line(draft.address)[:300],
        city=city.name if city else "",
        country=city.country if city else "",
        latitude=latitude,
        longitude=longitude,
        zone=zone,
    )
    return zone, venue


def _times(draft: EventDraft, zone: str) -> tuple[datetime, datetime]:
    if draft.all_day:
        first = draft.starts_local.replace(hour=0, minute=0, second=0, microsecond=0)
        last = draft.ends_local.replace(hour=0, minute=0, second=0, microsecond=0)
        return local_to_utc(first, zone), local_to_utc(last + timedelta(days=1), zone)
    starts_at, ends_at = (
        local_to_utc(draft.starts_local, zone),
        local_to_utc(draft.ends_local, zone),
    )
    if ends_at < starts_at:
        raise ValidationError({"ends_local": _("The end is before the start.")})
    return starts_at, ends_at


def _title_key(title: str) -> str:
    """A title as duplicates are compared: Unicode form (composed é or e + accent),
    case and spacing do not count."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def duplicate_of(event: Event) -> Event | None:
    """An event this one probably repeats: another event with the same UID, else the
    one with the most similar title starting within a day of it (instants, so the zones
    the two were entered in do not matter). Its own moved occurrences share its UID and
    are not others; rejected and cancelled events are repeated by nobody."""
    candidates = (
        Event.objects.filter(recurrence_id__isnull=True)
        .exclude(pk=event.pk)
        .exclude(review=Event.Review.REJECTED)
        .exclude(status=Event.Status.CANCELLED)
    )
    same_uid = candidates.filter(uid=event.uid).order_by("starts_at", "pk").first()
    if same_uid:
        return same_uid
    title = _title_key(event.title)
    nearby = candidates.filter(
        starts_at__gte=event.starts_at - DUPLICATE_WINDOW,
        starts_at__lte=event.starts_at + DUPLICATE_WINDOW,
    ).only("id", "title", "starts_at")
    best, best_score = None, (0.0, -DUPLICATE_WINDOW)
    for other in nearby.order_by("starts_at", "pk")[:200]:
        ratio = SequenceMatcher(None, title, _title_key(other.title)).ratio()
        score = (ratio, -abs(other.starts_at - event.starts_at))  # closest title, then start
        if ratio >= SIMILAR_TITLE and score > best_score:
            best, best_score = other, score
    return best


def _apply(event: Event, draft: EventDraft) -> Venue | None:
    zone, venue = _place(draft)
    event.kind = draft.kind
    event.status = draft.status
    event.title = clean_line(draft.title)[:300]
    event.description = clean_source(draft.description)
    event.description_html = render_markdown(event.description)
    event.info_url = draft.info_url
    event.all_day = draft.all_day
    event.online = draft.online
    event.zone = zone
    event.starts_at, event.ends_at = _times(draft, zone)
    event.regions = list(draft.regions or [])
    event.languages = list(draft.languages or [])
    if draft.rrule:
        try:
            event.rrule, event.repeats_until = rule_clean(
                draft.rrule, first_start=event.starts_at, zone=zone
            )
        except ValidationError as error:
            raise ValidationError({"rrule": error.messages}) from error
    else:
        event.rrule, event.repeats_until = "", None
    return venue


def event_submit(*, actor, draft: EventDraft, organization: Organization | None = None) -> Event:
    if not can_submit_events(actor):
        raise PermissionDenied(_("Only members of partner organizations can submit events."))
    owner = organization if organization is not None and actor.is_platform_staff else None
    owner = owner or actor.organization
    if owner is None:
        raise PermissionDenied(_("Choose the organization the event is for."))
    at = now()
    event = Event(owner=owner, submitted_by=actor, created_at=at, updated_at=at)
    venue = _apply(event, draft)
    trusted = can_manage_organization_events(actor, owner.pk)
    event.review = Event.Review.APPROVED if trusted else Event.Review.PENDING
    with transaction.atomic():
        # One submission at a time per member (their row locked): a double click or a
        # resent form finds the event the first request stored instead of a second one.
        actor._meta.model.objects.select_for_update().filter(pk=actor.pk).first()
        again = (
            Event.objects.filter(
                submitted_by=actor,
                owner=owner,
                title=event.title,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                created_at__gte=at - RESUBMIT_WINDOW,
                recurrence_of__isnull=True,
            )
            .exclude(review=Event.Review.REJECTED)
            .first()
        )
        if again is not None:
            return again
        if venue is not None:
            venue.save()
            event.venue = venue
        event.save()
        event.organizations.add(owner)
        if draft.topics:
            event.topics.set(draft.topics)
        event.duplicate_of = duplicate_of(event)
        if event.duplicate_of:
            event.save(update_fields=["duplicate_of"])
    return event


def event_update(*, actor, event: Event, draft: EventDraft) -> Event:
    """Edit an event; a new venue re-derives the zone and keeps the wall-clock times
    entered. Its SEQUENCE grows so subscribed calendars take the change."""
    may_edit = can_manage_organization_events(actor, event.owner_id) or (
        actor.is_authenticated
        and event.submitted_by_id == actor.pk
        and event.review == Event.Review.PENDING
    )
    if not may_edit:
        raise PermissionDenied(_("You cannot edit this event."))
    venue = _apply(event, draft)
    event.sequence += 1
    event.updated_at = now()
    with transaction.atomic():
        if venue is not None:
            venue.save()
        event.venue = venue
        event.save()
        event.topics.set(draft.topics or [])
    return event


def _tell_submitter(event: Event, kind: str, title, *, actor, body: str = "") -> None:
    member = event.submitted_by
    if member is None:
        return
    with translation.override(member.language):
        text = str(title) % {"title": event.title}  # in the submitter's language
    notify(
        recipient=member,
        kind=kind,
        title=text,
        body=body,
        url=reverse("events:detail", args=[event.pk]),
        target=f"event.{event.pk}",
        actor=actor,
    )


def event_approve(*, actor, event: Event) -> Event:
    if not can_manage_organization_events(actor, event.owner_id):
        raise PermissionDenied(_("You cannot review this event."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.review == Event.Review.APPROVED:
            return locked
        locked.review, locked.rejection_reason = Event.Review.APPROVED, ""
        locked.updated_at = now()
        locked.save(update_fields=["review", "rejection_reason", "updated_at"])
        _tell_submitter(
            locked,
            "events.approved",
            gettext_lazy("Your event “%(title)s” is on the calendar"),
            actor=actor,
        )
    return locked


def event_reject(*, actor, event: Event, reason: str) -> Event:
    if not can_manage_organization_events(actor, event.owner_id):
        raise PermissionDenied(_("You cannot review this event."))
    reason = clean_source(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so the submitter can fix it.")})
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        locked.review, locked.rejection_reason = Event.Review.REJECTED, reason
        locked.updated_at = now()
        locked.save(update_fields=["review", "rejection_reason", "updated_at"])
        _tell_submitter(
            locked,
            "events.rejected",
            gettext_lazy("Your event “%(title)s” was not accepted"),
            actor=actor,
            body=reason,
        )
    return locked

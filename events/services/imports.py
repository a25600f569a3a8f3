"""ICS import: one service for a command-line file, an uploaded file and a polled feed.

Rules (the issue asks us to choose and say):
- A file that cannot be read as a whole (not iCalendar, truncated, no END:VCALENDAR,
  unparseable) is refused: nothing is applied and the reason is one line
  (`CalendarUnreadable`).
- A file that reads is applied event by event: a VEVENT that cannot be used (no UID,
  no DTSTART, an unknown zone, a rule we cannot expand) is refused with its line and
  UID and the reason, and the others are applied — one broken entry in a partner's
  calendar of two hundred should not hold back the rest. Everything that is applied
  is written in one transaction, so a crash leaves nothing half-written.
- Upsert by UID (per organization, and per RECURRENCE-ID for moved occurrences): a
  new UID is created; a known one is updated when its content changed and its
  SEQUENCE / LAST-MODIFIED are not older than what we hold; otherwise it is left
  untouched. STATUS:CANCELLED cancels; from a subscribed feed, an event that vanished
  from the feed is cancelled too. Nothing is ever deleted.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import linebreaks
from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from core.clock import now
from core.markdown import clean_line, clean_source
from core.zones import DEFAULT_ZONE, canonical_zone
from events.models import CalendarSubscription, Event, Venue
from events.places import zone_at
from events.recurrence import exdate_key, rule_clean
from members.models import Organization

MAX_EVENTS = 50_000
ONLINE = ("online", "zoom", "teams meeting", "webex", "meet.google", "google meet", "virtual")


class CalendarUnreadable(Exception):
    """The file as a whole cannot be imported; str() is the one-line reason."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "cancelled": self.cancelled,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


class _Refused(Exception):
    pass


@dataclass
class _Parsed:
    uid: str
    recurrence_id: datetime | None
    values: dict[str, Any]
    sequence: int
    last_modified: datetime | None
    cancelled: bool
    geo: tuple[float, float] | None
    fingerprint: str = ""


def plain_text_html(text: str) -> str:
    """An iCalendar DESCRIPTION is plain text (RFC 5545), not Markdown: escaped, its
    paragraphs and line breaks kept. (Events typed on Baraza are Markdown, sanitised.)"""
    return linebreaks(text, autoescape=True) if text.strip() else ""


def decode(data: bytes) -> str:
    """Text of a calendar file: UTF-8 (with or without BOM), else Windows-1252 (what
    older Outlook writes), else Latin-1, which reads any byte."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _check_shape(text: str) -> list[int]:
    """Line numbers of each BEGIN:VEVENT; refuses what is not a whole calendar."""
    lines = text.splitlines()
    filled = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    if not filled or filled[0][1].upper() != "BEGIN:VCALENDAR":
        raise CalendarUnreadable("not an iCalendar file: it does not start with BEGIN:VCALENDAR")
    if filled[-1][1].upper() != "END:VCALENDAR":
        raise CalendarUnreadable(
            f"the file is truncated: it ends at line {filled[-1][0]} without END:VCALENDAR"
        )
    starts = [number for number, line in filled if line.upper() == "BEGIN:VEVENT"]
    ends = sum(1 for _number, line in filled if line.upper() == "END:VEVENT")
    if ends != len(starts):
        raise CalendarUnreadable(
            f"the file is damaged: {len(starts)} BEGIN:VEVENT but {ends} END:VEVENT"
        )
    if len(starts) > MAX_EVENTS:
        raise CalendarUnreadable(f"too many events ({len(starts)}, at most {MAX_EVENTS})")
    return starts


@dataclass
class ParsedCalendar:
    """A calendar file read once: what `calendar_import` applies."""

    calendar: Calendar
    lines: list[int]  # the line of each VEVENT
    named_zone: str | None  # the zone Google names (X-WR-TIMEZONE)


def parse_calendar(data: bytes) -> ParsedCalendar:
    """A calendar file read as a whole; raises CalendarUnreadable with the reason."""
    text = decode(data)
    lines = _check_shape(text)
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        reason = " ".join(str(error).split())[:200]
        raise CalendarUnreadable(f"not valid iCalendar: {reason}") from error
    named = canonical_zone(str(calendar.get("X-WR-TIMEZONE", "")).strip()) or None
    if calendar.get("X-WR-TIMEZONE"):
        import x_wr_timezone

        try:
            calendar = x_wr_timezone.to_standard(calendar)
        except Exception as error:  # noqa: BLE001 - the library raises many kinds
            raise CalendarUnreadable(f"X-WR-TIMEZONE cannot be applied: {error}") from error
    return ParsedCalendar(calendar=calendar, lines=lines, named_zone=named)


_MOZILLA = re.compile(r"^/?(?:[^/]+\.[^/]+/)?(?:\d{8}_\d+/)?")


def iana_zone(tzid: str) -> str | None:
    """An IANA name for a TZID: IANA names (old ones too), Windows names as Outlook
    writes them ("India Standard Time", via CLDR's map shipped in icalendar) and
    Thunderbird's "/mozilla.org/20070129_1/Europe/Berlin"."""
    name = tzid.strip().strip('"')
    zone = canonical_zone(name) or canonical_zone(WINDOWS_TO_OLSON.get(name, ""))
    if zone is None and "/" in name:
        zone = canonical_zone(_MOZILLA.sub("", name))
    return zone


def _when(prop, *, default_zone: str) -> tuple[datetime, str, bool]:
    """(UTC instant, zone meant, all-day) of a DTSTART-like property."""
    value = prop.dt
    tzid = prop.params.get("TZID")
    if isinstance(value, date) and not isinstance(value, datetime):
        local = datetime(value.year, value.month, value.day, tzinfo=ZoneInfo(default_zone))
        return local.astimezone(UTC), default_zone, True
    if tzid:
        named = iana_zone(str(tzid))
        if named is None:
            if value.tzinfo is None:
                raise _Refused(f"unknown time zone “{tzid}”")
            return value.astimezone(UTC), default_zone, False
        return value.replace(tzinfo=ZoneInfo(named)).astimezone(UTC), named, False
    if value.tzinfo is None:  # floating: the calendar's (or the feed's) zone
        return value.replace(tzinfo=ZoneInfo(default_zone)).astimezone(UTC), default_zone, False
    key = getattr(value.tzinfo, "key", None)
    zone = canonical_zone(key) if key else None
    if zone and zone != "UTC":
        return value.astimezone(UTC), zone, False
    return value.astimezone(UTC), "UTC", False


def _at(prop, zone: str) -> datetime:
    value = prop.dt
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    if value.tzinfo is None:
        tzid = prop.params.get("TZID")
        named = iana_zone(str(tzid)) if tzid else None
        return value.replace(tzinfo=ZoneInfo(named or zone)).astimezone(UTC)
    return value.astimezone(UTC)


def _text(component, name: str, limit: int) -> str:
    value = component.get(name)
    return str(value)[:limit] if value is not None else ""


def _parse_event(component, *, default_zone: str) -> _Parsed:
    uid = _text(component, "UID", 255).strip()
    if not uid:
        raise _Refused("no UID")
    if component.get("DTSTART") is None:
        raise _Refused("no DTSTART")
    try:
        starts_at, zone, all_day = _when(component["DTSTART"], default_zone=default_zone)
        if component.get("DTEND") is not None:
            ends_at = _at(component["DTEND"], zone)
        elif component.get("DURATION") is not None:
            ends_at = starts_at + component["DURATION"].dt
        else:
            ends_at = starts_at + (timedelta(days=1) if all_day else timedelta(0))
    except (AttributeError, TypeError, ValueError, OverflowError) as error:
        raise _Refused(f"a date cannot be read ({error})") from error
    if ends_at < starts_at:
        raise _Refused("DTEND is before DTSTART")
    values: dict[str, Any] = {
        "title": clean_line(_text(component, "SUMMARY", 300)) or "(untitled)",
        "description": clean_source(_text(component, "DESCRIPTION", 20_000)),
        "info_url": _text(component, "URL", 1000)
        if _text(component, "URL", 1000).startswith(("http://", "https://"))
        else "",
        "location": clean_line(_text(component, "LOCATION", 300)),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "zone": zone,
        "all_day": all_day,
        "rrule": "",
        "exdates": [],
        "repeats_until": None,
    }
    rule = component.get("RRULE")
    if rule is not None and component.get("RECURRENCE-ID") is None:
        if isinstance(rule, list):
            rule = rule[0]
        try:
            values["rrule"], values["repeats_until"] = rule_clean(
                rule.to_ical().decode(), first_start=starts_at, zone=zone
            )
        except ValidationError as error:
            raise _Refused(" ".join(error.messages)) from error
        exdates = component.get("EXDATE")
        for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
            for item in group.dts:
                values["exdates"].append(exdate_key(_at(item, zone), zone))
        values["exdates"].sort()
    recurrence_id = None
    if component.get("RECURRENCE-ID") is not None:
        recurrence_id = _at(component["RECURRENCE-ID"], zone)
    geo = None
    if component.get("GEO") is not None:
        try:
            geo = (float(component["GEO"].latitude), float(component["GEO"].longitude))
        except (AttributeError, TypeError, ValueError):
            geo = None
        if geo and not (-90 <= geo[0] <= 90 and -180 <= geo[1] <= 180):
            geo = None
    place = values["location"].casefold()
    values["online"] = geo is None and (
        not place or place.startswith(("http://", "https://")) or any(w in place for w in ONLINE)
    )
    if geo is not None:  # the venue's zone; the instant stays what the file says
        values["zone"] = zone_at(latitude=geo[0], longitude=geo[1])
    values["kind"] = Event.Kind.ONLINE if values["online"] else Event.Kind.CONFERENCE
    status = _text(component, "STATUS", 20).upper()
    cancelled = status == "CANCELLED"
    values["status"] = Event.Status.CANCELLED if cancelled else Event.Status.SCHEDULED
    try:
        sequence = int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    last_modified = None
    if component.get("LAST-MODIFIED") is not None:
        try:
            last_modified = _at(component["LAST-MODIFIED"], "UTC")
        except (AttributeError, TypeError, ValueError):
            last_modified = None
    parsed = _Parsed(
        uid=uid,
        recurrence_id=recurrence_id,
        values=values,
        sequence=max(sequence, 0),
        last_modified=last_modified,
        cancelled=cancelled,
        geo=geo,
    )
    parsed.fingerprint = hashlib.sha256(
        json.dumps([values, geo], default=str, sort_keys=True).encode()
    ).hexdigest()
    return parsed


def _older(parsed: _Parsed, sequence: int, last_modified: datetime | None) -> bool:
    """Is what the file says older than what we hold (SEQUENCE first, then LAST-MODIFIED)?"""
    if parsed.sequence != sequence:
        return parsed.sequence < sequence
    if parsed.last_modified and last_modified:
        return parsed.last_modified < last_modified
    return False


def calendar_import(
    *,
    organization: Organization,
    data: bytes | ParsedCalendar,
    subscription: CalendarSubscription | None = None,
    default_zone: str = DEFAULT_ZONE,
    submitted_by=None,
) -> ImportResult:
    """Import a calendar file's events for `organization` (see the module's rules):
    `data` is the file, or what `parse_calendar` already read of it.

    Raises CalendarUnreadable when nothing could be applied."""
    parsed_calendar = data if isinstance(data, ParsedCalendar) else parse_calendar(data)
    calendar, lines = parsed_calendar.calendar, parsed_calendar.lines
    named_zone = parsed_calendar.named_zone
    if subscription is not None:
        default_zone = subscription.default_zone
    # Google names the calendar's zone; floating and all-day times are meant there.
    default_zone = named_zone or default_zone
    result = ImportResult()
    parsed_events: list[_Parsed] = []
    seen: set[tuple[str, datetime | None]] = set()
    seen_uids: set[str] = set()
    for index, component in enumerate(calendar.walk("VEVENT")):
        line = lines[index] if index < len(lines) else 0
        uid = _text(component, "UID", 255).strip()
        where = f"line {line}" + (f" (UID {uid})" if uid else "")
        if uid:
            seen_uids.add(uid)
        try:
            parsed = _parse_event(component, default_zone=default_zone)
        except _Refused as refused:
            result.errors.append({"where": where, "reason": str(refused)})
            continue
        key = (parsed.uid, parsed.recurrence_id)
        if key in seen:
            result.errors.append({"where": where, "reason": "the same UID appears twice"})
            continue
        seen.add(key)
        parsed_events.append(parsed)
    review = (
        Event.Review.PENDING
        if subscription is not None and subscription.review_first
        else Event.Review.APPROVED
    )
    with transaction.atomic():
        _apply(
            organization=organization,
            parsed_events=parsed_events,
            subscription=subscription,
            review=review,
            submitted_by=submitted_by,
            result=result,
        )
        if subscription is not None:
            result.cancelled += _cancel_vanished(subscription=subscription, seen_uids=seen_uids)
    return result


def _venue(parsed: _Parsed) -> Venue | None:
    if parsed.geo is None:
        return None
    latitude, longitude = parsed.geo
    return Venue(
        name=parsed.values["location"][:200],
        latitude=latitude,
        longitude=longitude,
        zone=zone_at(latitude=latitude, longitude=longitude),
    )


def _apply(
    *,
    organization: Organization,
    parsed_events: list[_Parsed],
    subscription: CalendarSubscription | None,
    review: str,
    submitted_by,
    result: ImportResult,
) -> None:
    at = now()
    uids = {p.uid for p in parsed_events}
    existing: dict[tuple[str, datetime | None], Event] = {}
    held = Event.objects.filter(owner=organization).only(
        "id", "uid", "recurrence_id", "sequence", "last_modified", "fingerprint", "status"
    )
    if len(uids) < 500:
        held = held.filter(uid__in=uids)
    for event in held:
        if event.uid in uids:
            existing[(event.uid, event.recurrence_id)] = event
    to_create: list[Event] = []
    to_update: list[Event] = []
    venues: list[tuple[Event, Venue]] = []
    # Series first, so moved occurrences can point at them.
    parsed_events.sort(key=lambda p: p.recurrence_id is not None)
    masters: dict[str, Event] = {uid: e for (uid, rid), e in existing.items() if rid is None}
    created_masters: list[tuple[Event, str]] = []
    for parsed in parsed_events:
        held_event = existing.get((parsed.uid, parsed.recurrence_id))
        if held_event is not None:
            event = held_event
            if event.fingerprint == parsed.fingerprint or _older(
                parsed, event.sequence, event.last_modified
            ):
                result.unchanged += 1
                continue
            was_cancelled = event.status == Event.Status.CANCELLED
            for name, value in parsed.values.items():
                setattr(event, name, value)
            event.description_html = plain_text_html(event.description)
            event.sequence = parsed.sequence
            event.last_modified = parsed.last_modified
            event.fingerprint = parsed.fingerprint
            event.updated_at = at
            if subscription is not None:
                event.source = subscription
            venue = _venue(parsed)
            if venue is not None:
                venues.append((event, venue))
            elif parsed.geo is None:
                event.venue = None
            to_update.append(event)
            if parsed.cancelled and not was_cancelled:
                result.cancelled += 1
            else:
                result.updated += 1
            continue
        event = Event(
            owner=organization,
            uid=parsed.uid,
            recurrence_id=parsed.recurrence_id,
            sequence=parsed.sequence,
            last_modified=parsed.last_modified,
            fingerprint=parsed.fingerprint,
            source=subscription,
            review=review,
            submitted_by=submitted_by,
            created_at=at,
            updated_at=at,
            description_html=plain_text_html(parsed.values["description"]),
            **parsed.values,
        )
        if parsed.recurrence_id is not None:
            event.recurrence_of = masters.get(parsed.uid)
        venue = _venue(parsed)
        if venue is not None:
            venues.append((event, venue))
        to_create.append(event)
        if parsed.recurrence_id is None and parsed.values["rrule"]:
            created_masters.append((event, parsed.uid))
        if parsed.cancelled:
            result.cancelled += 1
        else:
            result.created += 1
    if venues:
        Venue.objects.bulk_create([venue for _event, venue in venues])
        for event, venue in venues:
            event.venue = venue
    series = [e for e in to_create if e.recurrence_id is None]
    moved = [e for e in to_create if e.recurrence_id is not None]
    Event.objects.bulk_create(series, batch_size=1000)
    for event, uid in created_masters:
        masters[uid] = event
    for event in moved:
        if event.recurrence_of_id is None and event.uid in masters:
            event.recurrence_of = masters[event.uid]
    Event.objects.bulk_create(moved, batch_size=1000)
    if to_create:
        Through = Event.organizations.through
        Through.objects.bulk_create(
            [Through(event_id=e.pk, organization_id=organization.pk) for e in to_create],
            batch_size=1000,
        )
    if review == Event.Review.PENDING:
        # A feed under review: its new events go to the queue with likely duplicates
        # flagged, as submissions are.
        from events.services.submissions import duplicate_of

        flagged = []
        for event in series:
            event.duplicate_of = duplicate_of(event)
            if event.duplicate_of is not None:
                flagged.append(event)
        Event.objects.bulk_update(flagged, ["duplicate_of"])
    if to_update:
        fields = [
            "title",
            "description",
            "description_html",
            "info_url",
            "location",
            "starts_at",
            "ends_at",
            "zone",
            "all_day",
            "rrule",
            "exdates",
            "repeats_until",
            "online",
            "kind",
            "status",
            "sequence",
            "last_modified",
            "fingerprint",
            "updated_at",
            "source",
            "venue",
        ]
        Event.objects.bulk_update(to_update, fields, batch_size=500)


def _cancel_vanished(*, subscription: CalendarSubscription, seen_uids: set[str]) -> int:
    """Events this feed brought before that it no longer lists: cancelled, kept."""
    gone = (
        Event.objects.filter(source=subscription)
        .exclude(status=Event.Status.CANCELLED)
        .exclude(uid__in=seen_uids)
    )
    return gone.update(status=Event.Status.CANCELLED, updated_at=now())

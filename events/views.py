"""The calendar (list, week and month, in the viewer's zone), event pages and ICS feeds."""

import calendar as pycalendar
from dataclasses import replace
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import now
from core.ics import CalendarEntry, feed
from core.links import absolute_url
from core.zones import format_offset
from events import selectors, services
from events.forms import KIND_CHOICES, MODE_CHOICES, calendar_filters
from events.models import Event, PersonalFeed
from events.recurrence import occurrence_starts
from members.models import Organization
from members.selectors import organizations_followed, organizations_followed_among
from webinars.emails import calendar_entry, registration_calendar_entry
from webinars.regions import REGION_CHOICES
from webinars.selectors import topics_all

VIEWS = ("list", "week", "month")


# Months and weeks the calendar pages through; one outside (year 1, year 9999) has no
# neighbour to link to and is the current one instead, as an unreadable one is.
YEARS = range(1900, 2201)


def _month(request) -> date:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        if year in YEARS:
            return date(year, month, 1)
    except ValueError:
        pass
    return timezone.localtime(now()).date().replace(day=1)


def _week(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localtime(now()).date()
    if day.year not in YEARS:
        day = timezone.localtime(now()).date()
    return day - timedelta(days=day.weekday())


def _midnight(day: date, zone) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _by_day(items, zone, first: date, last: date) -> dict[date, list]:
    """Items filed under each local day (viewer's zone) they are on; an all-day event
    on each of its days (its own dates, which are the same everywhere)."""
    days: dict[date, list] = {}
    for item in items:
        if item.all_day:
            start_day = item.starts_at.astimezone(_zone(item.zone)).date()
            end_day = item.ends_at.astimezone(_zone(item.zone)).date()
            day = max(start_day, first)
            while day < end_day and day <= last:
                days.setdefault(day, []).append(item)
                day += timedelta(days=1)
        else:
            local = item.starts_at.astimezone(zone)
            item.local_time = f"{local.hour:02d}:{local.minute:02d}"
            days.setdefault(local.date(), []).append(item)
    return days


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def calendar_page(request):
    filters = calendar_filters(request)
    view = request.GET.get("view", "list")
    view = view if view in VIEWS else "list"
    zone = timezone.get_current_timezone()
    at = now()
    organizations = selectors.calendar_organizers(chosen=filters.organization)
    shown = [o for o in organizations if o.slug == filters.organization]
    context = {
        "filters": filters,
        "view": view,
        "topics": topics_all(),
        "regions": REGION_CHOICES,
        "kinds": KIND_CHOICES,
        "modes": MODE_CHOICES,
        "organizations": organizations,
        "organizers": _with_following(request, shown),
        "zone_name": zone.key,
        "zone_offset": format_offset(timezone.localtime(at, zone).utcoffset() or timedelta(0)),
        "query": urlencode(filters.query()),
    }
    if view == "list":
        items = selectors.calendar_items(
            start=at - timedelta(hours=3), end=at + timedelta(days=366), filters=filters
        )[:200]
        days = _by_day(items, zone, date.min, date.max)
        context["days"] = sorted(days.items())
    elif view == "week":
        first = _week(request)
        start, end = _midnight(first, zone), _midnight(first + timedelta(days=7), zone)
        items = selectors.calendar_items(start=start, end=end, filters=filters)
        days = _by_day(items, zone, first, first + timedelta(days=6))
        context.update(
            {
                "week_days": [
                    (first + timedelta(days=n), days.get(first + timedelta(days=n), []))
                    for n in range(7)
                ],
                "week": first,
                "previous": (first - timedelta(days=7)).isoformat(),
                "next": (first + timedelta(days=7)).isoformat(),
            }
        )
    else:
        first = _month(request)
        days_in_month = pycalendar.monthrange(first.year, first.month)[1]
        last = first + timedelta(days=days_in_month - 1)
        start, end = _midnight(first, zone), _midnight(last + timedelta(days=1), zone)
        items = selectors.calendar_items(start=start, end=end, filters=filters)
        by_day = _by_day(items, zone, first, last)
        weeks = [
            [(day, by_day.get(day, [])) if day.month == first.month else (None, []) for day in week]
            for week in pycalendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        context.update(
            {
                "weeks": weeks,
                "month": first,
                "previous": previous.strftime("%Y-%m"),
                "next": following.strftime("%Y-%m"),
            }
        )
    return render(request, "events/calendar.html", context)


def _google_link(event: Event, starts_at: datetime, ends_at: datetime, url: str) -> str:
    if event.all_day:
        zone = _zone(event.zone)
        dates = f"{starts_at.astimezone(zone):%Y%m%d}/{ends_at.astimezone(zone):%Y%m%d}"
    else:
        dates = f"{starts_at:%Y%m%dT%H%M%SZ}/{ends_at:%Y%m%dT%H%M%SZ}"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": url,
        "location": event.venue.name if event.venue else event.location,
        "ctz": event.zone,
    }
    if event.rrule:
        params["recur"] = f"RRULE:{event.rrule}"
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def _outlook_link(event: Event, starts_at: datetime, ends_at: datetime, url: str) -> str:
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": starts_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "enddt": ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": url,
        "location": event.venue.name if event.venue else event.location,
    }
    if event.all_day:
        params["allday"] = "true"
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(params)


def _with_following(request, organizations: list[Organization]) -> list[tuple]:
    """Each organization with whether the viewer follows it (for its follow button)."""
    followed = organizations_followed_among(member=request.user, organizations=organizations)
    return [(o, o.pk in followed) for o in organizations]


def _city(zone_name: str) -> str:
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def event_page(request, pk: int):
    event = selectors.event_detail(event_id=pk, viewer=request.user)
    if event is None:
        raise Http404
    viewer_zone = timezone.get_current_timezone()
    at = now()
    duration = event.ends_at - event.starts_at
    if event.rrule:
        moved = {o.recurrence_id for o in event.overrides.all()}
        upcoming = occurrence_starts(
            rule=event.rrule,
            first_start=event.starts_at,
            zone=event.zone,
            duration=duration,
            start=at,
            end=at + timedelta(days=366),
            exdates=event.exdates,
            skip=moved,
        )[:10]
        starts_at = upcoming[0] if upcoming else event.starts_at
    else:
        upcoming = []
        starts_at = event.starts_at
    ends_at = starts_at + duration
    url = absolute_url(reverse("events:detail", args=[event.pk]))
    local_zone = _zone(event.zone)
    context = {
        "event": event,
        "first_day": starts_at.astimezone(local_zone).date(),
        "last_day": (ends_at.astimezone(local_zone) - timedelta(seconds=1)).date(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "upcoming": upcoming,
        "moved": [o for o in event.overrides.all() if o.starts_at >= at - timedelta(days=1)],
        "place": event.venue.place if event.venue else _city(event.zone),
        "viewer_zone": viewer_zone.key,
        "viewer_city": _city(viewer_zone.key),
        "same_zone": viewer_zone.key == event.zone,
        "google_link": _google_link(event, starts_at, ends_at, url),
        "outlook_link": _outlook_link(event, starts_at, ends_at, url),
        "can_review": services.can_review_event(request.user, event),
        "organizers": _with_following(request, list(event.organizations.all())),
    }
    return render(request, "events/event.html", context)


def event_entry(event: Event, *, overrides=()) -> list[CalendarEntry]:
    """The feed entries of an event: the event (a series with its rule and skipped
    starts) and its moved occurrences."""
    url = absolute_url(reverse("events:detail", args=[event.recurrence_of_id or event.pk]))

    def one(row: Event) -> CalendarEntry:
        return CalendarEntry(
            uid=row.uid,
            sequence=row.sequence,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            summary=row.title,
            description=row.description,
            url=url,
            location=(row.venue.name or row.venue.place) if row.venue else row.location,
            cancelled=row.status == Event.Status.CANCELLED,
            categories=[str(row.get_kind_display())],
            zone=row.zone,
            all_day=row.all_day,
            rrule=row.rrule,
            exdates=[_exdate(key, row.zone) for key in row.exdates],
            recurrence_id=row.recurrence_id,
            geo=(row.venue.latitude, row.venue.longitude) if row.venue else None,
        )

    return [one(event), *(one(o) for o in overrides)]


def _exdate(key: str, zone: str) -> datetime:
    return datetime.fromisoformat(key).replace(tzinfo=_zone(zone))


def _events_entries(events: list[Event]) -> list[CalendarEntry]:
    series_ids = [e.pk for e in events if e.rrule]
    overrides: dict[int, list[Event]] = {}
    for row in Event.objects.filter(recurrence_of__in=series_ids).select_related("venue"):
        overrides.setdefault(row.recurrence_of_id or 0, []).append(row)
    entries = []
    for event in events:
        if event.recurrence_of_id and event.recurrence_of_id in overrides:
            continue  # carried with its series
        entries.extend(event_entry(event, overrides=overrides.get(event.pk, [])))
    return entries


def event_ics(request, pk: int):
    event = selectors.event_detail(event_id=pk, viewer=request.user)
    if event is None:
        raise Http404
    return _ics_response(event_entry(event, overrides=list(event.overrides.all())), event.title)


def _ics_response(entries, name: str) -> HttpResponse:
    response = HttpResponse(
        feed(entries, name=name, stamp=now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="baraza.ics"'
    return response


def _feed_entries(filters: selectors.CalendarFilters) -> list[CalendarEntry]:
    since = now() - timedelta(days=30)
    entries = []
    if filters.wants_webinars:
        sessions = selectors.public_sessions(start=since, filters=filters, include_cancelled=True)
        entries = [
            calendar_entry(s, url=absolute_url(reverse("webinars:detail", args=[s.webinar.slug])))
            for s in sessions
        ]
    if filters.wants_events:
        entries.extend(_events_entries(selectors.events_for_feed(since=since, filters=filters)))
    return entries


def public_feed(request):
    return _ics_response(_feed_entries(calendar_filters(request)), "Baraza")


def organization_feed(request, slug: str):
    organization = get_object_or_404(Organization, slug=slug)
    filters = replace(calendar_filters(request), organization=organization.slug)
    return _ics_response(_feed_entries(filters), f"Baraza — {organization.name}")


def scoped_feed(request, *, name: str, organization: str, topics: list[str]) -> HttpResponse:
    """A feed narrowed to one organization and (when given) any of some topics: what a
    community's feed carries (config.views.community_feed resolves the community)."""
    filters = replace(calendar_filters(request), organization=organization, topics=tuple(topics))
    return _ics_response(_feed_entries(filters), name)


def personal_feed(request, token: str):
    """The member's registrations, and what the organizations they follow publish (as
    those organizations' feeds carry it); a session they registered for is there once,
    as their registration."""
    feed_row = PersonalFeed.objects.select_related("member").filter(token=token).first()
    if feed_row is None or not feed_row.member.is_active:
        raise Http404
    registrations = selectors.member_registrations(member=feed_row.member)
    entries = [
        registration_calendar_entry(
            r, url=absolute_url(reverse("webinars:detail", args=[r.webinar.slug]))
        )
        for r in registrations
    ]
    followed = organizations_followed(member=feed_row.member)
    if followed:  # no organizations in the filters would be every organization
        registered = {r.session.ical_uid for r in registrations}
        filters = replace(selectors.ANY, organizations=tuple(o.slug for o in followed))
        entries.extend(e for e in _feed_entries(filters) if e.uid not in registered)
    return _ics_response(entries, _("My Baraza calendar"))


@login_required
def my_feed(request):
    """GET shows the member's secret address if they made one; POST makes it."""
    if request.method == "POST":
        services.personal_feed_create(member=request.user)
        return redirect("events:my_feed")
    feed_row = selectors.personal_feed_of(member=request.user)
    url = absolute_url(reverse("events:personal_feed", args=[feed_row.token])) if feed_row else ""
    return render(
        request,
        "events/my_feed.html",
        {
            "feed_url": url,
            "registrations": selectors.member_registrations(member=request.user),
            "followed": organizations_followed(member=request.user),
        },
    )


@login_required
@require_POST
def my_feed_revoke(request):
    services.personal_feed_revoke(member=request.user)
    messages.success(request, _("Your old calendar address no longer works; here is the new one."))
    return redirect("events:my_feed")

"""Calendar reads: webinar sessions and events (recurring ones expanded in their own
zone) in a window, for pages and feeds. Each read runs a fixed number of queries
whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from events.models import Event, PersonalFeed
from events.recurrence import occurrence_starts
from members.models import Organization
from webinars.models import Registration, Session, Webinar
from webinars.regions import region_countries
from webinars.selectors import matches_listing

WEBINAR = "webinar"
MODES = ("online", "in_person")


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar, its feeds and a community's feed are narrowed to: read once
    from the request (events.forms.calendar_filters), applied by the selectors below.
    Empty means any."""

    kind: str = ""  # "webinar" or an Event.Kind
    topic: str = ""
    language: str = ""
    region: str = ""
    organization: str = ""  # an organization's slug
    mode: str = ""  # "online" or "in_person"
    q: str = ""  # words in the title or description
    topics: tuple[str, ...] = ()  # any of these topics (a community's)
    organizations: tuple[str, ...] = ()  # any of these organizations' slugs (followed ones)
    country: str = ""  # an event's venue, a webinar's audience (the library's country pages)

    def query(self) -> dict[str, str]:
        """The filters as the calendar's query parameters (those that are set)."""
        return {
            name: value
            for name, value in (
                ("topic", self.topic),
                ("language", self.language),
                ("region", self.region),
                ("kind", self.kind),
                ("organization", self.organization),
                ("mode", self.mode),
                ("q", self.q),
            )
            if value
        }

    @property
    def joins_many(self) -> bool:
        """Whether the query joins topics or organizations (a row may come back twice)."""
        return bool(self.topic or self.organization or self.topics or self.organizations)

    @property
    def wants_webinars(self) -> bool:
        return self.kind in ("", WEBINAR) and self.mode != "in_person"

    @property
    def wants_events(self) -> bool:
        return self.kind != WEBINAR


ANY = CalendarFilters()


@dataclass
class CalendarItem:
    """One thing on the calendar at one time: a webinar session or an event occurrence."""

    kind: str  # "webinar" or an Event.Kind
    kind_label: str
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    all_day: bool = False
    status: str = "scheduled"
    online: bool = True
    place: str = ""
    organizations: list[str] = field(default_factory=list)
    webinar: Webinar | None = None
    session: Session | None = None
    event: Event | None = None
    local_time: str = ""  # "09:00" in the viewer's zone, set by the page placing it

    @property
    def is_webinar(self) -> bool:
        return self.kind == WEBINAR

    @property
    def cancelled(self) -> bool:
        return self.status == Event.Status.CANCELLED


def public_sessions(
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    filters: CalendarFilters = ANY,
    include_cancelled: bool = False,
) -> list[Session]:
    """Published webinars' sessions matching `filters` (kind and mode are the caller's:
    see CalendarFilters.wants_webinars)."""
    queryset = (
        Session.objects.filter(
            webinar__status__in=[Webinar.Status.PUBLISHED, Webinar.Status.COMPLETED]
        )
        .select_related("webinar")
        .prefetch_related("webinar__topics", "webinar__organizations")
    )
    if not include_cancelled:
        queryset = queryset.filter(status=Session.Status.SCHEDULED)
    if start:
        queryset = queryset.filter(starts_at__gte=start)
    if end:
        queryset = queryset.filter(starts_at__lt=end)
    if filters.topic:
        queryset = queryset.filter(webinar__topics__slug=filters.topic)
    if filters.organization:
        queryset = queryset.filter(webinar__organizations__slug=filters.organization)
    if filters.topics:
        queryset = queryset.filter(webinar__topics__slug__in=filters.topics)
    if filters.organizations:
        queryset = queryset.filter(webinar__organizations__slug__in=filters.organizations)
    if filters.joins_many:
        queryset = queryset.distinct()
    if filters.q:
        queryset = queryset.filter(
            Q(webinar__title__icontains=filters.q) | Q(webinar__description__icontains=filters.q)
        )
    sessions = list(queryset.order_by("starts_at")[:2000])
    if filters.language or filters.region:
        sessions = [
            s
            for s in sessions
            if matches_listing(s.webinar, language=filters.language, region=filters.region)
        ]
    if filters.country:
        sessions = [s for s in sessions if filters.country in (s.webinar.audience or {})]
    return sessions


def _event_matches(event: Event, filters: CalendarFilters) -> bool:
    """Languages and regions are JSON lists (checked on fetched rows, as webinars do);
    an in-person event is in the region of its venue's country too."""
    language, region = filters.language, filters.region
    if language and language not in (event.languages or []):
        return False
    if region:
        country = str(event.venue.country) if event.venue and event.venue.country else ""
        if region not in (event.regions or []) and country not in region_countries(region):
            return False
    return True


def _events_queryset(filters: CalendarFilters) -> QuerySet[Event]:
    """Approved events matching `filters` in the database (languages and regions are
    checked on the rows fetched: `_event_matches`)."""
    queryset = Event.objects.filter(review=Event.Review.APPROVED).select_related("venue")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.topic:
        queryset = queryset.filter(topics__slug=filters.topic)
    if filters.organization:
        queryset = queryset.filter(organizations__slug=filters.organization)
    if filters.mode in MODES:
        queryset = queryset.filter(online=filters.mode == "online")
    if filters.q:
        queryset = queryset.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(location__icontains=filters.q)
        )
    if filters.topics:
        queryset = queryset.filter(topics__slug__in=filters.topics)
    if filters.organizations:
        queryset = queryset.filter(organizations__slug__in=filters.organizations)
    if filters.country:
        queryset = queryset.filter(venue__country=filters.country)
    if filters.joins_many:
        queryset = queryset.distinct()
    return queryset


# What a calendar row needs of an event (its description and import bookkeeping stay
# in the database).
ROW_FIELDS = (
    "id",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "zone",
    "all_day",
    "status",
    "online",
    "location",
    "rrule",
    "exdates",
    "regions",
    "languages",
    "recurrence_of_id",
    "venue__city",
    "venue__country",
    "venue__zone",
)


def calendar_organizers(*, chosen: str = "") -> list[Organization]:
    """The calendar's organization choices: those that organize an approved event or a
    public webinar (not every organization on the platform), and the chosen one. One
    query."""
    organizes = Q(
        Exists(Event.objects.filter(organizations=OuterRef("pk"), review=Event.Review.APPROVED))
    ) | Q(
        Exists(
            Webinar.objects.filter(
                organizations=OuterRef("pk"),
                status__in=[Webinar.Status.PUBLISHED, Webinar.Status.COMPLETED],
            )
        )
    )
    if chosen:
        organizes |= Q(slug=chosen)
    return list(Organization.objects.filter(organizes).only("name", "slug").order_by("name"))


def event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.recurrence_of_id or event.pk])


def _organization_names(events: list[Event]) -> dict[int, list[str]]:
    """Organizer names of many events in one query (no model instances)."""
    names: dict[int, list[str]] = {}
    if events:
        rows = Event.organizations.through.objects.filter(
            event_id__in=[e.pk for e in events]
        ).values_list("event_id", "organization__name")
        for event_id, name in rows:
            names.setdefault(event_id, []).append(name)
    return names


def _item_maker(events: list[Event]):
    """A function making an event's row at one start: what is the same for every
    occurrence (link, labels, place, organizers) is worked out once per event."""
    labels = {value: str(label) for value, label in Event.Kind.choices}
    prefix = reverse("events:calendar")
    names = _organization_names(events)

    def make(event: Event, starts_at: datetime) -> CalendarItem:
        return CalendarItem(
            kind=event.kind,
            kind_label=labels.get(event.kind, event.kind),
            title=event.title,
            url=f"{prefix}{event.recurrence_of_id or event.pk}/",
            starts_at=starts_at,
            ends_at=starts_at + (event.ends_at - event.starts_at),
            zone=event.zone,
            all_day=event.all_day,
            status=event.status,
            online=event.online,
            place=event.venue.place if event.venue else event.location,
            organizations=names.get(event.pk, []),
            event=event,
        )

    return make


def events_in_window(
    *, start: datetime, end: datetime, filters: CalendarFilters = ANY
) -> list[CalendarItem]:
    """Approved events overlapping [start, end): one-off rows and moved occurrences as
    they are, series expanded (their moved and skipped starts left out). Three queries."""
    overlapping = Q(starts_at__gte=start, starts_at__lt=end) | Q(
        starts_at__lt=start, ends_at__gt=start
    )
    repeating = (
        ~Q(rrule="")
        & Q(recurrence_of__isnull=True)
        & Q(starts_at__lt=end)
        & (Q(repeats_until__isnull=True) | Q(repeats_until__gte=start - timedelta(days=60)))
    )
    rows = list(
        _events_queryset(filters)
        .filter((Q(rrule="") & overlapping) | repeating)
        .only(*ROW_FIELDS)
        .order_by("starts_at", "id")[:20_000]
    )
    rows = [e for e in rows if _event_matches(e, filters)]
    series = [e for e in rows if e.rrule and e.recurrence_of_id is None]
    moved: dict[int, set[datetime]] = {}
    if series:
        for parent, original in Event.objects.filter(recurrence_of__in=series).values_list(
            "recurrence_of_id", "recurrence_id"
        ):
            if original is not None:
                moved.setdefault(parent, set()).add(original)
    items = []
    make = _item_maker(rows)
    for event in rows:
        if event.rrule and event.recurrence_of_id is None:
            for occurrence in occurrence_starts(
                rule=event.rrule,
                first_start=event.starts_at,
                zone=event.zone,
                duration=event.ends_at - event.starts_at,
                start=start,
                end=end,
                exdates=event.exdates,
                skip=moved.get(event.pk, set()),
            ):
                items.append(make(event, occurrence))
        else:
            items.append(make(event, event.starts_at))
    return items


def _session_item(session: Session) -> CalendarItem:
    webinar = session.webinar
    return CalendarItem(
        kind=WEBINAR,
        kind_label="",
        title=webinar.title,
        url=reverse("webinars:detail", args=[webinar.slug]),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        zone=session.host_zone,
        status=session.status,
        online=True,
        organizations=[o.name for o in webinar.organizations.all()],
        webinar=webinar,
        session=session,
    )


def calendar_items(
    *, start: datetime, end: datetime, filters: CalendarFilters = ANY
) -> list[CalendarItem]:
    """Webinar sessions and events together, in start order."""
    items: list[CalendarItem] = []
    if filters.wants_webinars:
        sessions = public_sessions(start=start, end=end, filters=filters)
        items.extend(_session_item(s) for s in sessions)
    if filters.wants_events:
        items.extend(events_in_window(start=start, end=end, filters=filters))
    items.sort(key=lambda item: (item.starts_at, item.title))
    return items


def events_for_feed(*, since: datetime, filters: CalendarFilters = ANY) -> list[Event]:
    """Approved events a feed carries (series whole, with their moved occurrences):
    those not over before `since`. Calendar programs expand the rules themselves."""
    queryset = _events_queryset(filters)
    current = Q(rrule="", ends_at__gte=since) | (
        ~Q(rrule="") & (Q(repeats_until__isnull=True) | Q(repeats_until__gte=since))
    )
    rows = list(
        queryset.filter(current)
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.only("name")))
        .order_by("starts_at", "id")[:5000]
    )
    return [e for e in rows if _event_matches(e, filters)]


def event_detail(*, event_id: int, viewer=None) -> Event | None:
    """An event's page: approved ones for everyone; pending or rejected ones for the
    people who may review them or who submitted them."""
    event = (
        Event.objects.select_related("venue", "owner")
        .prefetch_related("organizations", "topics", "overrides")
        .filter(pk=event_id, recurrence_of__isnull=True)
        .first()
    )
    if event is None:
        return None
    if event.review == Event.Review.APPROVED:
        return event
    from events.services.subscriptions import can_manage_organization_events

    if (
        viewer is not None
        and viewer.is_authenticated
        and (
            event.submitted_by_id == viewer.pk
            or can_manage_organization_events(viewer, event.owner_id)
        )
    ):
        return event
    return None


def review_queue(*, actor) -> list[Event]:
    """Events waiting for review that `actor` may decide: every one for staff, their
    organization's for its admins. Two queries."""
    if actor is None or not actor.is_authenticated:
        return []
    queryset = Event.objects.filter(review=Event.Review.PENDING, recurrence_of__isnull=True)
    if not actor.is_platform_staff:
        if not actor.is_partner_admin or not actor.organization_id:
            return []
        queryset = queryset.filter(owner_id=actor.organization_id)
    return list(
        queryset.select_related(
            "venue", "owner", "duplicate_of", "submitted_by", "source"
        ).order_by("starts_at")[:500]
    )


def member_registrations(*, member) -> list[Registration]:
    """The member's active registrations: linked to the account, or made with its
    (verified) address before signing in."""
    return list(
        Registration.objects.filter(Q(member=member) | Q(email__iexact=member.email))
        .filter(status__in=Registration.ACTIVE_STATUSES)
        .select_related("session", "webinar")
        .order_by("session__starts_at")
    )


def personal_feed_of(*, member) -> PersonalFeed | None:
    return PersonalFeed.objects.filter(member=member).first()

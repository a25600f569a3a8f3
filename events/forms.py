"""Calendar filters and the event submission form."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.clock import now
from core.zones import format_offset, to_zone, zone_names
from events.models import Event
from events.places import cities_matching, city_get, zone_at
from events.selectors import MODES, WEBINAR, CalendarFilters
from events.services.submissions import EventDraft
from members.models import Language
from webinars.forms import listing_filters
from webinars.models import Topic
from webinars.regions import REGION_CHOICES

KIND_CHOICES = [(WEBINAR, _("Baraza webinar")), *Event.Kind.choices]
MODE_CHOICES = [("online", _("Online")), ("in_person", _("In person"))]


def calendar_filters(request) -> CalendarFilters:
    """The webinar list's filters (topic, language, region) plus kind, organization,
    online / in person and free text, read from the query string; what is not a choice
    is no filter."""
    kind = request.GET.get("kind", "")
    mode = request.GET.get("mode", "")
    return CalendarFilters(
        **listing_filters(request),
        kind=kind if kind in dict(KIND_CHOICES) else "",
        organization=request.GET.get("organization", "")[:80],
        mode=mode if mode in MODES else "",
        q=" ".join(request.GET.get("q", "").split())[:100],
    )


class EventForm(forms.Form):
    """An event as its organizer enters it: local times at the venue (or in the zone of
    an online event); the venue's zone comes from the city picked, never typed."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    status = forms.ChoiceField(
        label=_("Status"), choices=Event.Status.choices, initial=Event.Status.SCHEDULED
    )
    description = forms.CharField(
        label=_("Description (Markdown)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    info_url = forms.URLField(label=_("Registration or information page"), required=False)
    online = forms.TypedChoiceField(
        label=_("Where"),
        choices=[("0", _("In person, at a venue")), ("1", _("Online"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    city_search = forms.CharField(
        label=_("City of the venue"),
        required=False,
        max_length=100,
        help_text=_("Type the city's name and press “Find city”, then pick it in the list."),
    )
    city = forms.TypedChoiceField(
        label=_("City"), required=False, coerce=int, empty_value=None, choices=[]
    )
    venue_name = forms.CharField(label=_("Venue name"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    latitude = forms.FloatField(
        label=_("Latitude (instead of a city)"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=_("Longitude (instead of a city)"), required=False, min_value=-180, max_value=180
    )
    zone = forms.ChoiceField(label=_("Time zone (online events)"), required=False, choices=[])
    all_day = forms.BooleanField(label=_("All day"), required=False)
    starts_local = forms.DateTimeField(
        label=_("Starts (local time at the venue)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_(
            "The wall-clock time where the event happens. If you change the venue later, "
            "this time stays the same in the new place and the zone follows the venue."
        ),
    )
    ends_local = forms.DateTimeField(
        label=_("Ends (local time at the venue)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    rrule = forms.CharField(
        label=_("Repeats (optional)"),
        required=False,
        max_length=300,
        help_text=_("An iCalendar rule, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=8."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.all(), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, required=False
    )
    regions = forms.MultipleChoiceField(label=_("Regions"), choices=REGION_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        search = (self.data.get("city_search") or "") if self.is_bound else ""
        found = cities_matching(search) if search else []
        current = city_get(self.data.get("city") if self.is_bound else self.initial.get("city"))
        if current and current not in found:
            found.insert(0, current)
        self.fields["city"].choices = [("", _("—"))] + [
            (
                c.geonameid,
                f"{c.name} ({c.country}) — {zone_at(latitude=c.latitude, longitude=c.longitude)}",
            )
            for c in found
        ]
        if found and self.is_bound and not self.data.get("city"):
            # "Find city" without a pick yet: the biggest city of that name is chosen
            # (and shown with its zone); the list offers the others.
            self.data = self.data.copy()
            self.data["city"] = str(found[0].geonameid)
        elif found and not self.is_bound and not self.initial.get("city"):
            self.initial["city"] = found[0].geonameid
        self.fields["zone"].choices = [("", _("—"))] + [(z, z) for z in zone_names()]

    def picked_place(self) -> str:
        """ "Dakar — Africa/Dakar, UTC+0": what the organizer sees once a city is picked."""
        value = self.data.get("city") if self.is_bound else self.initial.get("city")
        city = city_get(value)
        if city is None:
            return ""
        zone = zone_at(latitude=city.latitude, longitude=city.longitude)
        offset = to_zone(now(), zone).utcoffset() or timedelta(0)
        return f"{city.name} — {zone}, {format_offset(offset)}"

    def clean(self):
        data = super().clean()
        if (
            not data.get("online")
            and not data.get("city")
            and (data.get("latitude") is None or data.get("longitude") is None)
        ):
            self.add_error("city", _("Pick the city of the venue, or give its coordinates."))
        if data.get("online") and not data.get("zone"):
            self.add_error("zone", _("Choose the time zone of an online event."))
        return data

    def draft(self) -> EventDraft:
        data = self.cleaned_data
        return EventDraft(
            kind=data["kind"],
            status=data["status"],
            title=data["title"],
            description=data.get("description", ""),
            info_url=data.get("info_url", ""),
            online=data["online"],
            zone=data.get("zone", ""),
            city_id=data.get("city"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            venue_name=data.get("venue_name", ""),
            address=data.get("address", ""),
            all_day=data.get("all_day", False),
            starts_local=data["starts_local"].replace(tzinfo=None),
            ends_local=data["ends_local"].replace(tzinfo=None),
            rrule=data.get("rrule", ""),
            topics=data.get("topics") or [],
            regions=data.get("regions") or [],
            languages=data.get("languages") or [],
        )


def event_initial(event: Event) -> dict:
    """The form's values for an existing event: its local times in its own zone."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(event.zone)
    venue = event.venue
    city = None
    if venue and venue.city:
        matches = [c for c in cities_matching(venue.city) if c.name == venue.city]
        city = matches[0].geonameid if matches else None
    ends = event.ends_at.astimezone(zone)
    if event.all_day:
        ends = ends - timedelta(days=1)
    return {
        "kind": event.kind,
        "status": event.status,
        "title": event.title,
        "description": event.description,
        "info_url": event.info_url,
        "online": "1" if event.online else "0",
        "zone": event.zone if event.online else "",
        "city": city,
        "city_search": venue.city if venue else "",
        "venue_name": venue.name if venue else "",
        "address": venue.address if venue else "",
        "latitude": None if city or not venue else venue.latitude,
        "longitude": None if city or not venue else venue.longitude,
        "all_day": event.all_day,
        "starts_local": event.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_local": ends.replace(tzinfo=None),
        "rrule": event.rrule,
        "topics": list(event.topics.all()),
        "languages": event.languages,
        "regions": event.regions,
    }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the submitter)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SubscriptionForm(forms.Form):
    url = forms.URLField(label=_("Calendar feed address (.ics)"), max_length=1000)
    default_zone = forms.ChoiceField(
        label=_("Zone of times the feed gives without one"), choices=[], initial="UTC"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_zone"].choices = [(z, z) for z in zone_names()]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Calendar file (.ics)"))
    default_zone = forms.ChoiceField(
        label=_("Zone of times the file gives without one"), choices=[], initial="UTC"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_zone"].choices = [(z, z) for z in zone_names()]

"""Staff CSV exports: each dataset a header and rows, filtered by period and
organization, streamed (core.csv_export: formula-safe, row by row). Over
EXPORT_STREAM_LIMIT rows, the worker writes the file instead (ExportJob).

Privacy: members' email addresses are private and not exported; a registrant's name and
address only where they consented to be contacted; posts of private communities are
counted, their text is not exported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Member, Organization

if TYPE_CHECKING:
    from surveys.results import CsvColumns

CHUNK = 2000


@dataclass(frozen=True)
class ExportFilter:
    start: date
    end: date
    organization: Organization | None = None

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "organization": self.organization.pk if self.organization else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportFilter:
        organization = (
            Organization.objects.get(pk=data["organization"]) if data.get("organization") else None
        )
        return cls(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]), organization)


@dataclass(frozen=True)
class Dataset:
    """`queryset` counts the rows (and, with `row`, makes them). A dataset whose columns
    depend on what it covers (survey results: each survey's own questions) gives
    `header_of` and `rows_of` instead."""

    label: Any
    header: Callable[[], list[str]]
    queryset: Callable[[ExportFilter], QuerySet]
    row: Callable[[Any], list[Any]]
    header_of: Callable[[ExportFilter], list[str]] | None = None
    rows_of: Callable[[ExportFilter], Iterator[list[Any]]] | None = None

    def columns(self, f: ExportFilter) -> list[str]:
        return self.header_of(f) if self.header_of else self.header()


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


def _members(f: ExportFilter) -> QuerySet:
    members = Member.objects.filter(is_active=True, date_joined__lt=f.until)
    if f.organization:
        members = members.filter(organization=f.organization)
    return members.select_related("organization").order_by("pk")


def _member_row(m: Member) -> list[Any]:
    organization = m.organization
    return [
        m.public_id,
        m.full_name,
        organization.name if organization else "",
        organization.get_kind_display() if organization else "",
        str(m.country or ""),
        m.language,
        m.get_role_display(),
        _day(m.date_joined),
        _day(m.last_login),
    ]


def _organizations(f: ExportFilter) -> QuerySet:
    organizations = Organization.objects.all()
    if f.organization:
        organizations = organizations.filter(pk=f.organization.pk)
    return organizations.order_by("pk")


def _organization_row(o: Organization) -> list[Any]:
    return [o.slug, o.name, o.get_kind_display(), str(o.country or ""), o.website]


def _webinars(f: ExportFilter) -> QuerySet:
    from django.db.models import Min

    from webinars.models import Webinar

    webinars = Webinar.objects.filter(
        sessions__starts_at__gte=f.since, sessions__starts_at__lt=f.until
    )
    if f.organization:
        webinars = webinars.filter(organizations=f.organization)
    return (
        webinars.annotate(first_start=Min("sessions__starts_at"))
        .prefetch_related("organizations")
        .order_by("pk")
        .distinct()
    )


def _webinar_row(w: Any) -> list[Any]:
    return [
        w.slug,
        w.title,
        w.get_status_display(),
        ", ".join(o.name for o in w.organizations.all()),
        w.first_start.isoformat() if w.first_start else "",
    ]


def _registrations(f: ExportFilter) -> QuerySet:
    from webinars.models import Registration

    registrations = Registration.objects.filter(created_at__gte=f.since, created_at__lt=f.until)
    if f.organization:
        registrations = registrations.filter(webinar__organizations=f.organization)
    return registrations.select_related("webinar", "session").order_by("pk")


def _registration_row(r: Any) -> list[Any]:
    return [
        r.webinar.slug,
        r.session.starts_at.isoformat(),
        r.full_name if r.consent else "",
        r.email if r.consent else "",
        r.organization_name,
        str(r.country or ""),
        r.language,
        r.get_status_display(),
        r.source,
        r.created_at.isoformat(),
    ]


def _attendance(f: ExportFilter) -> QuerySet:
    from webinars.models import Attendance

    rows = Attendance.objects.filter(
        session__starts_at__gte=f.since, session__starts_at__lt=f.until
    )
    if f.organization:
        rows = rows.filter(webinar__organizations=f.organization)
    return rows.select_related("webinar", "session").order_by("pk")


def _attendance_row(a: Any) -> list[Any]:
    return [
        a.webinar.slug,
        a.session.starts_at.isoformat(),
        "yes" if a.registration_id else "no",
        a.minutes,
        a.country_name,
        a.first_join.isoformat() if a.first_join else "",
    ]


def _posts(f: ExportFilter) -> QuerySet:
    from communities.models import Post

    posts = Post.objects.filter(created_at__gte=f.since, created_at__lt=f.until, status="visible")
    if f.organization:
        posts = posts.filter(community__organization=f.organization)
    return posts.select_related("community", "thread", "author").order_by("pk")


def _post_row(p: Any) -> list[Any]:
    public = p.community.is_public
    return [
        p.community.slug,
        p.community.get_visibility_display(),
        p.thread.title if public else "",
        p.author.get_full_name() if p.author else "",
        "yes" if p.is_opening else "no",
        p.like_count,
        p.body if public else "",
        p.created_at.isoformat(),
    ]


def _usage(f: ExportFilter) -> QuerySet:
    from monitoring.models import DailyCount

    counts = DailyCount.objects.filter(day__gte=f.start, day__lte=f.end)
    if f.organization:
        counts = counts.filter(organization_id=f.organization.pk)
    return counts.order_by("day", "kind", "dimension", "value", "pk")


def _usage_row(c: Any) -> list[Any]:
    return [c.day.isoformat(), c.kind, c.dimension, c.value, c.organization_id, c.count, c.visitors]


def _events(f: ExportFilter) -> QuerySet:
    """External events added in the period (a repeating event once: its moved
    occurrences are not new events), of the organization it was submitted for."""
    from events.models import Event

    events = Event.objects.filter(
        created_at__gte=f.since, created_at__lt=f.until, recurrence_of__isnull=True
    )
    if f.organization:
        events = events.filter(owner=f.organization)
    return events.select_related("owner", "venue").prefetch_related("organizations").order_by("pk")


def _event_row(e: Any) -> list[Any]:
    venue = e.venue
    return [
        e.pk,
        e.title,
        e.get_kind_display(),
        e.owner.name,
        ", ".join(o.name for o in e.organizations.all()),
        e.get_review_display(),
        e.get_status_display(),
        e.starts_at.isoformat(),
        e.ends_at.isoformat(),
        e.zone,
        "yes" if e.all_day else "no",
        "yes" if e.online else "no",
        e.location or (venue.name if venue else ""),
        str(venue.country or "") if venue else "",
        "yes" if e.rrule else "no",
        "feed" if e.source_id else "submitted",
        e.info_url,
        e.created_at.isoformat(),
    ]


# Survey results: one row per submitted response, the columns of every survey covered
# side by side (each survey's own columns, as its results CSV names them, prefixed by its
# slug), filled by the surveys app's own CSV builder. Respondents' email addresses are
# not exported (as for members); names only where the survey is not anonymous.
SURVEY_COMMON = ["response", "submitted_at", "language", "country", "region", "organization_kind"]


def _survey_responses(f: ExportFilter) -> QuerySet:
    from surveys.models import Response

    responses = Response.objects.filter(
        status=Response.Status.SUBMITTED, submitted_at__gte=f.since, submitted_at__lt=f.until
    )
    if f.organization:
        from monitoring.selectors import surveys_of_organization

        responses = responses.filter(survey__in=surveys_of_organization(f.organization))
    return responses


def _surveys_covered(f: ExportFilter) -> list[Any]:
    from surveys.models import Survey

    ids = _survey_responses(f).values("survey_id")
    return list(Survey.objects.filter(pk__in=ids).order_by("pk"))


def _survey_layout(
    f: ExportFilter,
) -> tuple[list[str], list[tuple[Any, CsvColumns, int, int]]]:
    """The header, and per survey: its CSV columns, where its answers start, how many."""
    from surveys.results import csv_columns, questions_in_order

    header = ["survey", *SURVEY_COMMON, "name"]
    layout = []
    for survey in _surveys_covered(f):
        own = csv_columns(survey, questions_in_order(survey))
        answers = own.header[len(SURVEY_COMMON) + (0 if survey.anonymous else 2) :]
        layout.append((survey, own, len(header), len(answers)))
        header += [f"{survey.slug}:{column}" for column in answers]
    return header, layout


def _survey_header(f: ExportFilter) -> list[str]:
    return _survey_layout(f)[0]


def _survey_rows(f: ExportFilter) -> Iterator[list[Any]]:
    from surveys.results import csv_rows

    header, layout = _survey_layout(f)
    width = len(header)
    common = len(SURVEY_COMMON)
    for survey, columns, start, _count in layout:
        rows = csv_rows(survey, columns, submitted_from=f.since, submitted_before=f.until)
        for line in rows:
            name = "" if survey.anonymous else line[common]
            answers = line[common if survey.anonymous else common + 2 :]
            out: list[Any] = [survey.slug, *line[:common], name]
            out += [""] * (start - len(out)) + answers
            out += [""] * (width - len(out))
            yield out


def _publications(f: ExportFilter) -> QuerySet:
    """Publications submitted, published or downloaded in the period (downloads are
    counted per calendar month: the months the period touches), with their downloads
    in those months; of the organization that authored or published them."""
    from django.db.models import Sum

    from library.models import DownloadCount, Publication
    from monitoring.selectors import library_months, publications_of_organization

    first, last = library_months(f.start, f.end)
    in_months = Q(download_counts__month__gte=first, download_counts__month__lte=last)
    downloaded = DownloadCount.objects.filter(month__gte=first, month__lte=last).values(
        "publication_id"
    )
    publications = Publication.objects.filter(
        Q(created_at__gte=f.since, created_at__lt=f.until)
        | Q(published_at__gte=f.since, published_at__lt=f.until)
        | Q(pk__in=downloaded)
    )
    if f.organization:
        publications = publications.filter(pk__in=publications_of_organization(f.organization))
    return (
        publications.annotate(downloads=Sum("download_counts__count", filter=in_months))
        .select_related("submitter")
        .prefetch_related("organizations", "authors", "themes")
        .order_by("pk")
    )


def _publication_row(p: Any) -> list[Any]:
    return [
        p.pk,
        p.title,
        p.get_kind_display(),
        p.language,
        p.date_label,
        "; ".join(a.name for a in p.authors.all()),
        ", ".join(o.name for o in p.organizations.all()),
        ", ".join(t.name for t in p.themes.all()),
        p.doi,
        p.get_licence_display(),
        p.get_status_display(),
        _day(p.created_at),
        _day(p.published_at),
        p.downloads or 0,
    ]


DATASETS: dict[str, Dataset] = {
    "members": Dataset(
        _("Members (no email addresses: they are private)"),
        lambda: [
            str(x)
            for x in (
                _("Public id"),
                _("Name"),
                _("Organization"),
                _("Organization kind"),
                _("Country"),
                _("Language"),
                _("Role"),
                _("Joined"),
                _("Last signed in"),
            )
        ],
        _members,
        _member_row,
    ),
    "organizations": Dataset(
        _("Organizations"),
        lambda: [str(x) for x in (_("Slug"), _("Name"), _("Kind"), _("Country"), _("Website"))],
        _organizations,
        _organization_row,
    ),
    "webinars": Dataset(
        _("Webinars (with a session in the period)"),
        lambda: [
            str(x)
            for x in (
                _("Slug"),
                _("Title"),
                _("Status"),
                _("Organizations"),
                _("First session in the period (UTC)"),
            )
        ],
        _webinars,
        _webinar_row,
    ),
    "registrations": Dataset(
        _("Webinar registrations (name and email only where the registrant consented)"),
        lambda: [
            str(x)
            for x in (
                _("Webinar"),
                _("Session starts (UTC)"),
                _("Name"),
                _("Email"),
                _("Organization"),
                _("Country"),
                _("Language"),
                _("Status"),
                _("Source"),
                _("Registered at (UTC)"),
            )
        ],
        _registrations,
        _registration_row,
    ),
    "attendance": Dataset(
        _("Webinar attendance"),
        lambda: [
            str(x)
            for x in (
                _("Webinar"),
                _("Session starts (UTC)"),
                _("Registered"),
                _("Minutes"),
                _("Country (as reported)"),
                _("First joined (UTC)"),
            )
        ],
        _attendance,
        _attendance_row,
    ),
    "posts": Dataset(
        _("Community posts (text of public communities only)"),
        lambda: [
            str(x)
            for x in (
                _("Community"),
                _("Visibility"),
                _("Discussion"),
                _("Author"),
                _("Opening post"),
                _("Likes"),
                _("Text"),
                _("Posted at (UTC)"),
            )
        ],
        _posts,
        _post_row,
    ),
    "events": Dataset(
        _("External events (added in the period)"),
        lambda: [
            str(x)
            for x in (
                _("Id"),
                _("Title"),
                _("Kind"),
                _("Submitted for"),
                _("Organizing organizations"),
                _("Review"),
                _("Status"),
                _("Starts (UTC)"),
                _("Ends (UTC)"),
                _("Time zone"),
                _("All day"),
                _("Online"),
                _("Place"),
                _("Venue country"),
                _("Repeats"),
                _("Source"),
                _("Information page"),
                _("Added at (UTC)"),
            )
        ],
        _events,
        _event_row,
    ),
    "survey_results": Dataset(
        _("Survey results (one row per response submitted in the period; no email addresses)"),
        lambda: [],
        _survey_responses,
        lambda response: [],
        header_of=_survey_header,
        rows_of=_survey_rows,
    ),
    "publications": Dataset(
        _("Library publications (submitted, published or downloaded in the period)"),
        lambda: [
            str(x)
            for x in (
                _("Id"),
                _("Title"),
                _("Type"),
                _("Language"),
                _("Date"),
                _("Authors"),
                _("Organizations"),
                _("Themes"),
                _("DOI"),
                _("Licence"),
                _("Status"),
                _("Submitted"),
                _("Published"),
                _("Downloads in the period"),
            )
        ],
        _publications,
        _publication_row,
    ),
    "usage": Dataset(
        _("Usage, daily counts"),
        lambda: [
            str(x)
            for x in (
                _("Day (UTC)"),
                _("Kind"),
                _("Dimension"),
                _("Value"),
                _("Organization id"),
                _("Count"),
                _("Daily visitors"),
            )
        ],
        _usage,
        _usage_row,
    ),
}


def export_rows(dataset: Dataset, f: ExportFilter) -> Iterator[list[Any]]:
    if dataset.rows_of is not None:
        yield from dataset.rows_of(f)
        return
    for item in dataset.queryset(f).iterator(chunk_size=CHUNK):
        yield dataset.row(item)


def export_count(dataset: Dataset, f: ExportFilter) -> int:
    return dataset.queryset(f).count()


def with_progress(rows: Iterable[list[Any]], report: Callable[[int], None], every: int):
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            report(done)
    report(done)

"""Reads over the daily counts: a constant number of queries whatever the period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core.clock import now
from members.models import Organization
from monitoring.models import DailyCount, DroppedUsage, UsageKind
from webinars.analytics.tally import Tally, country_label, region_label
from webinars.regions import region_of


def usage_day_report(*, day: date, top: int = 10) -> dict[str, Any]:
    """The `usage_report` contract for one day, from its daily counts (one query)."""
    rows = list(
        DailyCount.objects.filter(day=day, organization_id=0)
        .exclude(dimension__in=["referrer", "country", "language", "device", "query"])
        .values_list("kind", "dimension", "value", "count", "visitors")
    )
    totals = {
        kind: (count, visitors)
        for kind, dimension, _value, count, visitors in rows
        if dimension == "total"
    }
    pages = sorted(
        ((value, count) for kind, dimension, value, count, _v in rows if dimension == "path"),
        key=lambda item: (-item[1], item[0]),
    )
    no_results = sorted(
        ((value, count) for kind, dimension, value, count, _v in rows if dimension == "no_results"),
        key=lambda item: (-item[1], item[0]),
    )
    return {
        "date": day.isoformat(),
        "page_views": totals.get(UsageKind.PAGE_VIEW, (0, 0))[0],
        "visitors": totals.get(UsageKind.PAGE_VIEW, (0, 0))[1],
        "top_pages": [{"path": path, "views": views} for path, views in pages[:top]],
        "downloads": totals.get(UsageKind.DOWNLOAD, (0, 0))[0],
        "searches_without_results": [
            {"query": query, "count": count} for query, count in no_results[:top]
        ],
    }


def usage_totals(*, start: date, end: date, organization_id: int = 0) -> dict[str, int]:
    """Each kind's total over [start, end] (one query)."""
    return {
        kind: total or 0
        for kind, total in DailyCount.objects.filter(
            day__gte=start, day__lte=end, dimension="total", organization_id=organization_id
        )
        .values_list("kind")
        .annotate(total=Sum("count"))
        .values_list("kind", "total")
    }


# --- the dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoringScope:
    """What a dashboard, CSV or report covers: the platform, or one organization's
    content (its webinars, communities, members, downloads)."""

    organization: Organization | None = None

    @property
    def organization_id(self) -> int:
        return self.organization.pk if self.organization else 0


def monitoring_scope(*, viewer: Any, organization_slug: str = "") -> MonitoringScope:
    """Staff see the platform or any organization; a partner admin only their own
    organization, whatever they ask for; anyone else nothing."""
    if viewer is None or not viewer.is_authenticated:
        raise PermissionDenied
    if viewer.is_platform_staff:
        if not organization_slug:
            return MonitoringScope()
        organization = Organization.objects.filter(slug=organization_slug).first()
        if organization is None:
            raise Http404
        return MonitoringScope(organization=organization)
    if viewer.is_partner_admin and viewer.organization_id:
        if organization_slug and organization_slug != viewer.organization.slug:
            raise PermissionDenied(_("You can see your own organization's figures only."))
        return MonitoringScope(organization=viewer.organization)
    raise PermissionDenied(_("Usage figures are for platform staff and partner admins."))


@dataclass
class Ranked:
    """One row of a top list: a label, its count, and (where it is meaningful) the day's
    unique visitors summed over the period."""

    label: str
    count: int
    visitors: int = 0


@dataclass
class MemberRow:
    country: str
    kind: str
    members: int
    new: int
    active_7: int
    active_30: int
    active_90: int


@dataclass
class SurveyRow:
    title: str
    status: str
    anonymous: bool
    responses: int  # submitted in the period


@dataclass
class EventRow:
    kind: str
    submitted: int  # by a person, in the period
    imported: int  # from a calendar feed, in the period
    published: int  # of those, on the calendar now (approved)
    pending: int
    rejected: int


@dataclass
class LibraryRow:
    """One publication's downloads in the period (the months the period touches)."""

    title: str
    status: str
    downloads: int


@dataclass
class MonitoringDashboard:
    scope: MonitoringScope
    start: date
    end: date
    totals: dict[str, int]
    visitors: int  # daily unique visitors, summed over the period
    trend: list[tuple[date, int, int]]  # day, page views, visitors
    pages: list[Ranked]
    referrers: list[Ranked]
    countries: list[Ranked]
    regions: list[Ranked]
    languages: list[Ranked]
    devices: list[Ranked]
    searches: list[Ranked]
    no_results: list[Ranked]
    downloads: list[Ranked]
    joins: list[Ranked]
    members: list[MemberRow]
    member_totals: MemberRow
    webinars: Tally
    communities: dict[str, int] = field(default_factory=dict)
    surveys: list[SurveyRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    # Review steps taken in the period: submitted, published, changes requested, rejected.
    library: dict[str, int] = field(default_factory=dict)
    library_downloads: list[LibraryRow] = field(default_factory=list)
    # Events of the period no process could record (the platform's figures only: it is
    # the platform's state, not an organization's).
    dropped: int = 0

    @property
    def library_download_total(self) -> int:
        return sum(row.downloads for row in self.library_downloads)

    @property
    def survey_responses(self) -> int:
        return sum(row.responses for row in self.surveys)

    @property
    def events_total(self) -> EventRow:
        return EventRow(
            gettext("All"),
            sum(r.submitted for r in self.events),
            sum(r.imported for r in self.events),
            sum(r.published for r in self.events),
            sum(r.pending for r in self.events),
            sum(r.rejected for r in self.events),
        )

    @property
    def page_views(self) -> int:
        return self.totals.get(UsageKind.PAGE_VIEW, 0)


def _ranked(counter: dict[str, list[int]]) -> list[Ranked]:
    rows = [Ranked(label, count, people) for label, (count, people) in counter.items()]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _usage_rows(scope: MonitoringScope, start: date, end: date):
    period = DailyCount.objects.filter(day__gte=start, day__lte=end)
    rows = period.filter(organization_id=scope.organization_id)
    return rows.values_list("day", "kind", "dimension", "value", "count", "visitors")


def monitoring_dashboard(*, scope: MonitoringScope, start: date, end: date) -> MonitoringDashboard:
    """Every figure of the dashboard for `scope` over [start, end] (UTC days). A fixed
    number of queries whatever the period or the number of rows: the usage figures
    come from the daily counts, the rest from one grouped query each."""
    from webinars.analytics.dashboard import dashboard_report
    from webinars.analytics.scope import Scope

    totals: dict[str, int] = {}
    trend: dict[date, list[int]] = {}
    breakdown: dict[tuple[str, str], dict[str, list[int]]] = {}
    visitors = 0
    for day, kind, dimension, value, count, people in _usage_rows(scope, start, end):
        if dimension == "total":
            totals[kind] = totals.get(kind, 0) + count
            if kind == UsageKind.PAGE_VIEW:
                visitors += people
                trend.setdefault(day, [0, 0])
                trend[day][0] += count
                trend[day][1] += people
            continue
        entry = breakdown.setdefault((kind, dimension), {}).setdefault(value, [0, 0])
        entry[0] += count
        entry[1] += people
    regions: dict[str, list[int]] = {}
    for country, (count, people) in breakdown.get((UsageKind.PAGE_VIEW, "country"), {}).items():
        entry = regions.setdefault(region_label(region_of(country) or ""), [0, 0])
        entry[0] += count
        entry[1] += people
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]

    def get(kind: str, dimension: str) -> list[Ranked]:
        return _ranked(breakdown.get((kind, dimension), {}))

    members, member_totals = _member_rows(scope, start, end)
    webinar_scope = Scope(
        organization_id=scope.organization.pk if scope.organization else None,
        date_from=start,
        date_to=end,
    )
    return MonitoringDashboard(
        scope=scope,
        start=start,
        end=end,
        totals=totals,
        visitors=visitors,
        trend=[(day, *trend.get(day, [0, 0])) for day in days],  # type: ignore[misc]
        pages=get(UsageKind.PAGE_VIEW, "path"),
        referrers=get(UsageKind.PAGE_VIEW, "referrer"),
        countries=[
            Ranked(country_label(row.label), row.count, row.visitors)
            for row in get(UsageKind.PAGE_VIEW, "country")
        ],
        regions=_ranked(regions),
        languages=get(UsageKind.PAGE_VIEW, "language"),
        devices=get(UsageKind.PAGE_VIEW, "device"),
        searches=get(UsageKind.SEARCH, "query"),
        no_results=get(UsageKind.SEARCH, "no_results"),
        downloads=get(UsageKind.DOWNLOAD, "target"),
        joins=get(UsageKind.JOIN, "target"),
        members=members,
        member_totals=member_totals,
        webinars=dashboard_report(scope=webinar_scope).totals,
        communities=_community_figures(scope, start, end),
        surveys=_survey_rows(scope, start, end),
        events=_event_rows(scope, start, end),
        library=_library_figures(scope, start, end),
        library_downloads=_library_download_rows(scope, start, end),
        dropped=0 if scope.organization else dropped_events(start=start, end=end),
    )


def dropped_events(*, start: date, end: date) -> int:
    """Usage events of [start, end] that no process could record (monitoring.drops)."""
    period = DroppedUsage.objects.filter(day__gte=start, day__lte=end)
    return period.aggregate(total=Sum("events"))["total"] or 0


def _member_rows(
    scope: MonitoringScope, start: date, end: date
) -> tuple[list[MemberRow], MemberRow]:
    """Members by country and organization kind: how many, new in the period, active
    (signed in) in the last 7, 30 and 90 days. One grouped query."""
    from members.models import Member

    at = now()
    members = Member.objects.filter(is_active=True)
    if scope.organization is not None:
        members = members.filter(organization=scope.organization)
    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    grouped = (
        members.values_list("country", "organization__kind")
        .annotate(
            n=Count("id"),
            new=Count("id", filter=Q(date_joined__gte=first, date_joined__lt=after)),
            a7=Count("id", filter=Q(last_login__gte=at - timedelta(days=7))),
            a30=Count("id", filter=Q(last_login__gte=at - timedelta(days=30))),
            a90=Count("id", filter=Q(last_login__gte=at - timedelta(days=90))),
        )
        .order_by()
    )
    kinds = dict(Organization.Kind.choices)
    rows = [
        MemberRow(
            country_label(country) if country else gettext("Unknown"),
            str(kinds.get(kind, gettext("No organization"))),
            n,
            new,
            a7,
            a30,
            a90,
        )
        for country, kind, n, new, a7, a30, a90 in grouped
    ]
    rows.sort(key=lambda row: (-row.members, row.country, row.kind))
    total = MemberRow(
        gettext("All"),
        "",
        sum(r.members for r in rows),
        sum(r.new for r in rows),
        sum(r.active_7 for r in rows),
        sum(r.active_30 for r in rows),
        sum(r.active_90 for r in rows),
    )
    return rows, total


DORMANT_AFTER_DAYS = 30


def _community_figures(scope: MonitoringScope, start: date, end: date) -> dict[str, int]:
    """Active (a post in the last 30 days) and dormant communities, discussions nobody
    has answered yet, and posts and chat messages written in the period. Four queries."""
    from communities.models import ChatMessage, Community, Post, Thread

    at = now()
    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    communities = Community.objects.all()
    threads = Thread.objects.filter(status="visible", reply_count=0)
    posts = Post.objects.filter(created_at__gte=first, created_at__lt=after)
    chat = ChatMessage.objects.filter(created_at__gte=first, created_at__lt=after)
    if scope.organization is not None:
        communities = communities.filter(organization=scope.organization)
        threads = threads.filter(community__organization=scope.organization)
        posts = posts.filter(community__organization=scope.organization)
        chat = chat.filter(room__community__organization=scope.organization)
    recent = Q(last_post_at__gte=at - timedelta(days=DORMANT_AFTER_DAYS))
    figures = communities.aggregate(active=Count("id", filter=recent), all=Count("id"))
    return {
        "active": figures["active"],
        "dormant": figures["all"] - figures["active"],
        "unanswered": threads.count(),
        "posts": posts.count(),
        "chat_messages": chat.count(),
    }


def surveys_of_organization(organization: Organization):
    """The surveys an organization answers for (the partner-admin scoping rule): those
    sent to or attached to its webinars (audience or feedback survey), sent to its
    communities, or written by one of its partner admins. A queryset of survey ids, to
    use as a subquery (no duplicate rows from the joins)."""
    from members.models import Role
    from surveys.models import Survey

    return (
        Survey.objects.filter(
            Q(webinar__organizations=organization)
            | Q(feedback_for__organizations=organization)
            | Q(community__organization=organization)
            | Q(owner__organization=organization, owner__role=Role.PARTNER_ADMIN)
        )
        .values("pk")
        .distinct()
    )


def _survey_rows(scope: MonitoringScope, start: date, end: date) -> list[SurveyRow]:
    """Responses submitted in the period, per survey (anonymous surveys keep only the
    day of a submission, which is all a period needs). One grouped query."""
    from core.languages import pick
    from surveys.models import Response, Survey

    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    responses = Response.objects.filter(
        status=Response.Status.SUBMITTED, submitted_at__gte=first, submitted_at__lt=after
    )
    if scope.organization is not None:
        responses = responses.filter(survey__in=surveys_of_organization(scope.organization))
    grouped = (
        responses.values_list(
            "survey_id", "survey__slug", "survey__title", "survey__status", "survey__anonymous"
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    statuses = dict(Survey.Status.choices)
    rows = [
        SurveyRow(
            pick(title or {}).text or slug,
            str(statuses.get(status, status)),
            anonymous,
            n,
        )
        for _pk, slug, title, status, anonymous, n in grouped
    ]
    rows.sort(key=lambda row: (-row.responses, row.title))
    return rows


def _event_rows(scope: MonitoringScope, start: date, end: date) -> list[EventRow]:
    """External events (not webinars) that reached the calendar in the period, by kind:
    submitted by a person or imported from a feed, and where their review stands now.
    A recurring series counts once (its moved occurrences are not new events). The
    events app keeps no approval time, so "published" means: of the period's events,
    those approved now. One grouped query."""
    from events.models import Event

    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    events = Event.objects.filter(
        created_at__gte=first, created_at__lt=after, recurrence_of__isnull=True
    )
    if scope.organization is not None:
        events = events.filter(owner=scope.organization)
    R = Event.Review
    grouped = (
        events.values_list("kind")
        .annotate(
            submitted=Count("id", filter=Q(source__isnull=True)),
            imported=Count("id", filter=Q(source__isnull=False)),
            published=Count("id", filter=Q(review=R.APPROVED)),
            pending=Count("id", filter=Q(review=R.PENDING)),
            rejected=Count("id", filter=Q(review=R.REJECTED)),
        )
        .order_by()
    )
    kinds = dict(Event.Kind.choices)
    rows = [EventRow(str(kinds.get(kind, kind)), *figures) for kind, *figures in grouped]
    rows.sort(key=lambda row: (-(row.submitted + row.imported), row.kind))
    return rows


LIBRARY_STEPS = {
    # figure: the review-log actions that count for it
    "submitted": ("submit", "resubmit", "import"),
    "published": ("publish",),
    "changes_requested": ("request_changes",),
    "rejected": ("reject",),
}


def publications_of_organization(organization: Organization):
    """The publications an organization answers for (the partner-admin scoping rule):
    those it authored or published. Ids, to use as a subquery (no duplicate rows)."""
    from library.models import Publication

    return Publication.objects.filter(organizations=organization).values("pk").distinct()


def _library_figures(scope: MonitoringScope, start: date, end: date) -> dict[str, int]:
    """Library review steps taken in the period, from the publications' review log
    (a resubmission counts as a submission, an import as one too). One query."""
    from library.models import PublicationTransition

    first = datetime.combine(start, time.min, tzinfo=UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    steps = PublicationTransition.objects.filter(at__gte=first, at__lt=after)
    if scope.organization is not None:
        steps = steps.filter(publication__in=publications_of_organization(scope.organization))
    return steps.aggregate(
        **{
            figure: Count("id", filter=Q(action__in=actions))
            for figure, actions in LIBRARY_STEPS.items()
        }
    )


def library_months(start: date, end: date) -> tuple[date, date]:
    """Downloads are counted per calendar month: a period covers the months it touches."""
    return start.replace(day=1), end.replace(day=1)


def _library_download_rows(scope: MonitoringScope, start: date, end: date) -> list[LibraryRow]:
    """Downloads per publication over the months the period touches. One grouped query."""
    from library.models import DownloadCount, Publication

    first, last = library_months(start, end)
    counts = DownloadCount.objects.filter(month__gte=first, month__lte=last)
    if scope.organization is not None:
        counts = counts.filter(publication__in=publications_of_organization(scope.organization))
    grouped = (
        counts.values_list("publication_id", "publication__title", "publication__status")
        .annotate(n=Sum("count"))
        .order_by()
    )
    statuses = dict(Publication.Status.choices)
    rows = [
        LibraryRow(title, str(statuses.get(status, status)), n or 0)
        for _pk, title, status, n in grouped
    ]
    rows.sort(key=lambda row: (-row.downloads, row.title))
    return rows

"""The partner and platform dashboards: every webinar of a scope, rolled up by partner,
series, topic, month, country, region, local hour and weekday — seven queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from django.db.models import Min

from core.clock import now
from webinars.analytics.scope import (
    Scope,
    SessionFacts,
    registration_groups,
    report_minutes,
    session_facts,
    sessions_in,
    webinars_in,
)
from webinars.analytics.tally import (
    Row,
    Tally,
    country_label,
    hour_label,
    local_start,
    region_label,
    rows_of,
    same_label,
    weekday_label,
)
from webinars.models import Series, Topic, Webinar
from webinars.regions import COUNTRY_REGION


@dataclass
class WebinarLine:
    id: int
    slug: str
    title: str
    first_start: datetime | None
    organizations: list[str]
    series: str
    topics: list[str]
    tally: Tally


@dataclass
class Dashboard:
    scope: Scope
    totals: Tally
    webinars: list[WebinarLine]
    by_partner: list[Row]
    by_series: list[Row]
    by_topic: list[Row]
    by_month: list[Row]
    top_countries: list[Row]
    by_hour: list[Row]
    by_weekday: list[Row]
    by_region: list[Row] = field(default_factory=list)


def dashboard_report(*, scope: Scope) -> Dashboard:
    """The cross-webinar dashboard for a scope from `dashboard_scope` (which checks who
    may see it). Seven queries, whatever the number of webinars and registrations."""
    at = now()
    facts = session_facts(scope, at)
    session_tallies: dict[int, Tally] = defaultdict(Tally)
    countries_: dict[str, Tally] = defaultdict(Tally)
    hours: dict[int, Tally] = defaultdict(Tally)
    weekdays: dict[int, Tally] = defaultdict(Tally)
    regions: dict[str, Tally] = defaultdict(Tally)
    for group in registration_groups(scope):
        fact = facts.get(group.session_id)
        if fact is None:
            continue
        tally = session_tallies[group.session_id]
        tally.registered += group.registered
        tally.confirmed += group.confirmed
        tally.waitlisted += group.waitlisted
        tally.pending += group.pending
        tally.cancelled += group.cancelled
        tally.rejected += (
            group.registered - group.confirmed - group.waitlisted - group.pending - group.cancelled
        )
        tally.came_anyway += group.came_anyway
        if not fact.over:
            continue
        tally.expected += group.confirmed
        tally.attended += group.attended
        hour, weekday = local_start(fact.starts_at, group.time_zone)
        country = group.country or ""
        for target in (
            countries_[country],
            hours[hour],
            weekdays[weekday],
            regions[COUNTRY_REGION.get(country, "")],
        ):
            target.registered += group.registered
            target.expected += group.confirmed
            target.attended += group.attended
    for sid, reported in report_minutes(scope).items():
        if sid in facts:
            tally = session_tallies[sid]
            tally.walk_ins += reported.walk_ins
            tally.minutes += reported.minutes
            tally.timed += reported.timed
    webinars = _webinar_lines(scope, facts, session_tallies)
    totals = Tally()
    for line in webinars:
        totals.add(line.tally)
    months: dict[str, Tally] = defaultdict(Tally)
    for sid, tally in session_tallies.items():
        months[facts[sid].starts_at.strftime("%Y-%m")].add(tally)
    return Dashboard(
        scope=scope,
        totals=totals,
        webinars=webinars,
        by_partner=_rollup(webinars, lambda w: w.organizations),
        by_series=_rollup(webinars, lambda w: [w.series] if w.series else []),
        by_topic=_rollup(webinars, lambda w: w.topics),
        by_month=rows_of(months, same_label, order="key"),
        top_countries=rows_of(countries_, country_label, limit=15),
        by_hour=rows_of({f"{h:02d}": t for h, t in hours.items()}, hour_label, order="key"),
        by_weekday=rows_of(weekdays, weekday_label, order="key"),
        by_region=rows_of(regions, region_label),
    )


def _webinar_lines(
    scope: Scope, facts: dict[int, SessionFacts], session_tallies: dict[int, Tally]
) -> list[WebinarLine]:
    ids = {fact.webinar_id for fact in facts.values()}
    webinars = (
        webinars_in(scope)
        .filter(pk__in=sessions_in(scope).values("webinar_id"))
        .order_by()
        .values_list("pk", "slug", "title", "series__title")
        .annotate(first_start=Min("sessions__starts_at"))
    )
    organizations: dict[int, list[str]] = defaultdict(list)
    topics: dict[int, list[str]] = defaultdict(list)
    through = Webinar.organizations.through.objects.filter(webinar__in=webinars_in(scope))
    for webinar_id, name in through.values_list("webinar_id", "organization__name"):
        organizations[webinar_id].append(name)
    # Through Topic (not the link table) so that a topic is named in the reader's language.
    topic_links = Topic.objects.filter(webinar__in=webinars_in(scope))
    for webinar_id, name in topic_links.values_list("webinar", "name"):
        topics[webinar_id].append(name)
    tallies: dict[int, Tally] = defaultdict(Tally)
    for sid, tally in session_tallies.items():
        tallies[facts[sid].webinar_id].add(tally)
    lines = [
        WebinarLine(
            id=pk,
            slug=slug,
            title=title,
            first_start=first_start,
            organizations=sorted(organizations.get(pk, [])),
            series=series or "",
            topics=sorted(topics.get(pk, [])),
            tally=tallies[pk],
        )
        for pk, slug, title, series, first_start in webinars
        if pk in ids
    ]
    lines.sort(key=lambda w: (w.first_start is None, w.first_start), reverse=True)
    return lines


def _rollup(webinars: list[WebinarLine], keys: Callable[[WebinarLine], Iterable[str]]) -> list[Row]:
    groups: dict[str, Tally] = defaultdict(Tally)
    for line in webinars:
        for key in keys(line):
            groups[key].add(line.tally)
    return rows_of(groups, same_label)


class DashboardChoices(TypedDict):
    series: list[Series]
    topics: list[Topic]


def dashboard_filters(*, scope: Scope) -> DashboardChoices:
    """Choices for the dashboard's filters within the scope (two small queries)."""
    webinars = webinars_in(Scope(organization_id=scope.organization_id))
    return {
        "series": list(Series.objects.filter(webinars__in=webinars).distinct().order_by("title")),
        "topics": list(Topic.objects.filter(webinar__in=webinars).distinct().order_by("name")),
    }

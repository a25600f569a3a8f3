"""The dashboards' query counts do not grow with the number of webinars or registrations."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Role
from tests.webinars.test_attendance_support import SESSION_START
from webinars.analytics import (
    Scope,
    attendance_rate_by_region_local_hour,
    dashboard_report,
    dashboard_scope,
    webinar_report,
)
from webinars.models import Attendance, Registration, Series, Topic

pytestmark = pytest.mark.django_db

COUNTRIES = [("PH", "Asia/Manila"), ("KE", "Africa/Nairobi"), ("CO", "America/Bogota")]


def populate(webinar, people: int, start: int = 0) -> None:
    """`people` more registrants (a third attended, one in five cancelled) and a walk-in."""
    session = webinar.sessions.get()
    registrations = Registration.objects.bulk_create(
        Registration(
            webinar=webinar,
            session=session,
            email=f"p{i}@{webinar.slug}.example",
            full_name=f"P {i}",
            status="confirmed" if i % 5 else "cancelled",
            country=COUNTRIES[i % 3][0],
            time_zone=COUNTRIES[i % 3][1],
            source="newsletter" if i % 2 else "",
            created_at=session.starts_at - timedelta(days=i % 20),
            status_changed_at=session.starts_at,
        )
        for i in range(start, start + people)
    )
    stay = [session.starts_at, session.starts_at + timedelta(minutes=40)]
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                webinar=webinar,
                registration=r,
                person_key=f"email:{r.email}",
                name=r.full_name,
                email=r.email,
                first_join=stay[0],
                last_leave=stay[1],
                minutes=40,
                intervals=[[t.isoformat() for t in stay]],
                created_at=session.starts_at,
                updated_at=session.starts_at,
            )
            for r in registrations[::3]
        ]
        + [
            Attendance(
                session=session,
                webinar=webinar,
                person_key=f"name:walk-in {start}",
                name=f"Walk-in {start}",
                minutes=10,
                created_at=session.starts_at,
                updated_at=session.starts_at,
            )
        ]
    )


@pytest.fixture
def grow(webinar_factory, organization):
    """Add `webinars` past webinars of `people` registrants each, in a series and with a
    topic, like real data; returns the last one."""
    made = {"n": 0}
    series = Series.objects.create(slug="s", title="Series", organization=organization)
    topic = Topic.objects.create(slug="cash", name="Cash transfers")

    def add(webinars: int, people: int):
        webinar = None
        for _ in range(webinars):
            made["n"] += 1
            webinar = webinar_factory(
                slug=f"grown-{made['n']}",
                starts_at=SESSION_START + timedelta(days=made["n"]),
                series=series,
            )
            webinar.topics.add(topic)
            populate(webinar, people)
        return webinar

    return add


def queries(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context)


def test_dashboard_selectors(frozen, grow, organizer):
    scope = dashboard_scope(viewer=organizer)
    grow(1, 3)
    small = queries(lambda: dashboard_report(scope=scope))
    grow(8, 40)
    report = dashboard_report(scope=scope)
    assert report.totals.registered == 3 + 8 * 40
    assert queries(lambda: dashboard_report(scope=scope)) == small <= 7
    series = Series.objects.get()
    filtered = Scope(organization_id=scope.organization_id, topic="cash", series_id=series.pk)
    assert queries(lambda: dashboard_report(scope=filtered)) == small


def test_webinar_report(frozen, grow, organizer):
    webinar = grow(1, 3)
    small = queries(lambda: webinar_report(webinar=webinar, viewer=organizer))
    populate(webinar, 120, start=3)
    assert webinar_report(webinar=webinar, viewer=organizer).tally.registered == 123
    assert queries(lambda: webinar_report(webinar=webinar, viewer=organizer)) == small <= 6


def test_planner_history(frozen, grow, member_factory):
    staff = member_factory(role=Role.STAFF)
    grow(1, 3)
    small = queries(lambda: attendance_rate_by_region_local_hour(viewer=staff))
    from django.core.cache import cache

    cache.clear()
    grow(6, 30)
    assert queries(lambda: attendance_rate_by_region_local_hour(viewer=staff)) == small <= 2
    assert queries(lambda: attendance_rate_by_region_local_hour(viewer=staff)) == 0  # cached


@pytest.mark.parametrize(
    "url, limit",
    [
        ("/webinars/analytics/", 15),
        ("/webinars/manage/grown-1/analytics/", 11),
        ("/webinars/manage/grown-1/attendance/", 14),
    ],
)
def test_pages(frozen, grow, organizer, client, django_assert_max_num_queries, url, limit):
    first = grow(1, 3)
    client.force_login(organizer)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    populate(first, 80, start=3)
    grow(10, 60)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200

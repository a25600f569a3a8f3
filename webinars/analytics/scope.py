"""Which webinars a cross-webinar page covers, who may ask for it, and the grouped reads
the dashboard and the planner's history share (each one query, whatever the row count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from webinars.analytics.tally import EVIDENCE, Status, named, session_over
from webinars.models import Attendance, Registration, Session, Webinar

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """Which webinars a dashboard covers: one partner's, or all (platform staff)."""

    organization_id: int | None = None  # None: every webinar (staff only)
    series_id: int | None = None
    topic: str = ""
    date_from: date | None = None  # session starts, UTC days, inclusive
    date_to: date | None = None

    @property
    def is_everything(self) -> bool:
        return (
            self.organization_id is None
            and self.series_id is None
            and not self.topic
            and not self.date_from
            and not self.date_to
        )


def dashboard_scope(
    *, viewer: Any, organization_id: int | None = None, platform: bool = False, **filters: Any
) -> Scope:
    """The scope `viewer` may see: partners their own organization, staff anything."""
    if viewer is None or not viewer.is_authenticated:
        raise PermissionDenied
    if platform:
        if not viewer.is_platform_staff:
            raise PermissionDenied(_("Platform analytics are for platform staff."))
        return Scope(organization_id=organization_id, **filters)
    if viewer.is_platform_staff and organization_id is not None:
        return Scope(organization_id=organization_id, **filters)
    # Staff who belong to an organization see its dashboard (the page links to the
    # platform's); staff without one are sent to the platform dashboard by the view.
    if viewer.organization_id is None or not (viewer.is_partner_admin or viewer.is_platform_staff):
        raise PermissionDenied(_("Partner analytics are for partner admins."))
    return Scope(organization_id=viewer.organization_id, **filters)


def webinars_in(scope: Scope) -> QuerySet[Webinar]:
    webinars = Webinar.objects.all()
    if scope.organization_id is not None:
        webinars = webinars.filter(organizations=scope.organization_id)
    if scope.series_id is not None:
        webinars = webinars.filter(series_id=scope.series_id)
    if scope.topic:
        webinars = webinars.filter(topics__slug=scope.topic)
    return webinars


def sessions_in(scope: Scope) -> QuerySet[Session]:
    sessions = Session.objects.all()
    if scope.organization_id is not None or scope.series_id is not None or scope.topic:
        sessions = sessions.filter(webinar__in=webinars_in(scope).values("pk"))
    if scope.date_from:
        sessions = sessions.filter(starts_at__gte=datetime.combine(scope.date_from, time(), UTC))
    if scope.date_to:
        after = datetime.combine(scope.date_to + timedelta(days=1), time(), UTC)
        sessions = sessions.filter(starts_at__lt=after)
    return sessions


def scoped(queryset: QuerySet[M], scope: Scope, session_field: str = "session") -> QuerySet[M]:
    """`queryset` (registrations, attendances) narrowed to the scope's sessions."""
    if scope.is_everything:
        return queryset
    return queryset.filter(**{f"{session_field}__in": sessions_in(scope).values("pk")})


class RegistrationGroup(NamedTuple):
    """Registrations of one session from one zone and country, counted."""

    session_id: int
    time_zone: str
    country: str
    registered: int
    confirmed: int
    waitlisted: int
    pending: int
    cancelled: int
    attended: int  # confirmed, with evidence
    came_anyway: int  # not confirmed, with evidence


def registration_groups(scope: Scope) -> list[RegistrationGroup]:
    """One pass over registrations: per session, zone and country, the counts that matter."""
    confirmed = Q(status=Status.CONFIRMED)
    rows = (
        scoped(Registration.objects.all(), scope)
        .order_by()
        .values_list("session_id", "time_zone", "country")
        .annotate(
            registered=Count("id"),
            confirmed=Count("id", filter=confirmed),
            waitlisted=Count("id", filter=Q(status=Status.WAITLISTED)),
            pending=Count("id", filter=Q(status=Status.PENDING)),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            attended=Count("id", filter=confirmed & EVIDENCE),
            came_anyway=Count("id", filter=~confirmed & EVIDENCE),
        )
    )
    return named(RegistrationGroup, rows)


class SessionFacts(NamedTuple):
    webinar_id: int
    starts_at: datetime
    over: bool


def session_facts(scope: Scope, at: datetime) -> dict[int, SessionFacts]:
    """Session id → its webinar, start, and whether it is over at `at`."""
    return {
        pk: SessionFacts(webinar_id, starts_at, session_over(status, starts_at, duration, at))
        for pk, webinar_id, starts_at, duration, status in sessions_in(scope).values_list(
            "pk", "webinar_id", "starts_at", "duration_minutes", "status"
        )
    }


class ReportMinutes(NamedTuple):
    """What the platform reports say of one session."""

    walk_ins: int
    minutes: int  # summed over the people in the reports
    timed: int  # people in the reports


def report_minutes(scope: Scope) -> dict[int, ReportMinutes]:
    """Session id → walk-ins, report minutes summed, people with report minutes."""
    rows = (
        scoped(Attendance.objects.all(), scope)
        .order_by()
        .values_list("session_id")
        .annotate(
            walk_ins=Count("id", filter=Q(registration__isnull=True)),
            minutes=Sum("minutes"),
            timed=Count("id"),
        )
    )
    return {
        sid: ReportMinutes(walk_ins, minutes or 0, timed) for sid, walk_ins, minutes, timed in rows
    }

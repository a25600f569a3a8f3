"""The partner monthly report: on the 1st, each partner organization's admins get last
month's figures in their language, with a link to the dashboard — exactly once per
organization and month (the PartnerReport unique row and each email's dedupe key,
written in one transaction: beat running twice or a worker dying sends nothing twice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.clock import now
from core.links import absolute_url
from members.models import Member, Organization, Role
from monitoring.models import PartnerReport, UsageKind
from monitoring.selectors import MonitoringDashboard, MonitoringScope, monitoring_dashboard
from notifications.categories import Category, Channel, category_register
from notifications.delivery import email_queue
from notifications.rendering import render_email

KIND = "monitoring.partner_report"
REPORT_CATEGORY = Category(
    KIND,
    _("Monthly partner reports"),  # type: ignore[arg-type]  # lazy, as in notifications
    Channel.IMMEDIATE,
    hidden=True,
)


def report_category_register() -> None:
    """From MonitoringConfig.ready(): the report's email category (unsubscribe works),
    hidden from the preference matrix."""
    category_register(REPORT_CATEGORY)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def previous_month(today: date | None = None) -> date:
    today = today or now().date()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass
class ReportOutcome:
    organization: str
    sent: int  # emails queued now; 0 when this month's report was made before
    made_before: bool = False


def _admins(organization: Organization) -> list[Member]:
    return list(
        Member.objects.filter(
            organization=organization, role=Role.PARTNER_ADMIN, is_active=True
        ).order_by("pk")
    )


def _context(board: MonitoringDashboard, admin: Member, month: date) -> dict:
    organization = board.scope.organization
    assert organization is not None
    first, last = month_bounds(month)
    dashboard = absolute_url(f"/monitoring/?start={first.isoformat()}&end={last.isoformat()}")
    return {
        "member": admin,
        "organization": organization,
        "month": month,
        "board": board,
        "downloads": board.totals.get(UsageKind.DOWNLOAD, 0),
        "joins": board.totals.get(UsageKind.JOIN, 0),
        "events_added": board.events_total.submitted + board.events_total.imported,
        "top_pages": board.pages[:5],
        "top_downloads": board.downloads[:5],
        "top_publications": board.library_downloads[:5],
        "dashboard_url": dashboard,
    }


def partner_report_send(*, organization: Organization, month: date) -> ReportOutcome:
    """Make `organization`'s report for `month` and queue one email per admin, once."""
    month = month.replace(day=1)
    admins = _admins(organization)
    first, last = month_bounds(month)
    board = monitoring_dashboard(
        scope=MonitoringScope(organization=organization), start=first, end=last
    )
    try:
        with transaction.atomic():
            PartnerReport.objects.create(
                organization=organization, month=month, created_at=now(), recipients=len(admins)
            )
            for admin in admins:
                with translation.override(admin.language):
                    message = render_email(
                        "monitoring/email/partner_report",
                        _context(board, admin, month),
                        to=admin.email,
                        language=admin.language,
                    )
                email_queue(
                    message=message,
                    kind=KIND,
                    dedupe_key=f"{KIND}.{organization.pk}.{month:%Y-%m}.{admin.pk}",
                )
    except IntegrityError:
        return ReportOutcome(organization.slug, 0, made_before=True)
    return ReportOutcome(organization.slug, len(admins))


def partner_reports_send(*, month: date | None = None) -> list[ReportOutcome]:
    """Every organization with a partner admin gets its report for `month` (last month
    by default); run again, nothing more is sent."""
    month = (month or previous_month()).replace(day=1)
    organizations = (
        Organization.objects.filter(members__role=Role.PARTNER_ADMIN, members__is_active=True)
        .exclude(monthly_reports__month=month)
        .distinct()
    )
    return [
        partner_report_send(organization=organization, month=month)
        for organization in organizations.order_by("pk")
    ]

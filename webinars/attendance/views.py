"""Organizer pages for attendance: report uploads with a preview and apply, the evidence
per registrant, the attendance CSV, and the follow-up emails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from webinars import selectors
from webinars.analytics import EXPORT_HEADER, attendance_export
from webinars.attendance import ReportError
from webinars.attendance.followup import followup_pending, webinar_publish_followup
from webinars.attendance.forms import FollowUpForm, ReportUploadForm, ZoneForm
from webinars.attendance.services import (
    ImportBlocked,
    attendance_import_apply,
    attendance_import_preview,
    attendance_import_rezone,
    preview_report,
)
from webinars.models import AttendanceImport
from webinars.permissions import managed_webinar

EVIDENCE_PER_PAGE = 50


def session_param(request: HttpRequest) -> int | None:
    """?session=<id>, or None when absent or not a number."""
    try:
        return int(request.GET.get("session", ""))
    except ValueError:
        return None


@login_required
def attendance_page(request: HttpRequest, slug: str) -> HttpResponse:
    webinar = managed_webinar(request, slug)
    form = ReportUploadForm(request.POST or None, request.FILES or None, webinar=webinar)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record, _preview = attendance_import_preview(
                session=data["session"],
                actor=request.user,
                content=data["report"].read(),
                filename=data["report"].name,
                zone=data["zone"] or None,
            )
        except ReportError as error:
            form.add_error("report", error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    overview = selectors.attendance_overview(webinar)
    evidence = Paginator(selectors.attendance_evidence(webinar), EVIDENCE_PER_PAGE)
    return render(
        request,
        "webinars/analytics/attendance.html",
        {
            "webinar": webinar,
            "form": form,
            "imports": overview.imports,
            "page": evidence.get_page(request.GET.get("page")),
            "walk_ins": overview.walk_ins,
            "walk_in_count": overview.walk_in_count,
        },
    )


@login_required
def import_preview(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    webinar = managed_webinar(request, slug)
    record = selectors.attendance_import_of(webinar, import_id)
    zone_form = ZoneForm(request.POST or None, initial={"zone": record.source_zone})
    if request.method == "POST" and record.status == AttendanceImport.Status.PREVIEWED:
        if zone_form.is_valid():
            record, _preview = attendance_import_rezone(
                attendance_import=record, actor=request.user, zone=zone_form.cleaned_data["zone"]
            )
            messages.success(request, _("The file was read again in the zone chosen."))
            return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    try:
        preview = preview_report(
            session=record.session, content=bytes(record.content), zone=record.source_zone
        )
    except ReportError as error:  # an importer change since; say so rather than fail
        preview = None
        messages.error(request, error.message)
    return render(
        request,
        "webinars/analytics/import_preview.html",
        {
            "webinar": webinar,
            "record": record,
            "preview": preview,
            "summary": preview.summary() if preview else record.summary,
            "matched": preview.matched[:500] if preview else [],
            "walk_ins": preview.walk_ins[:500] if preview else [],
            "zone_form": zone_form,
            "applied": record.status == AttendanceImport.Status.APPLIED,
        },
    )


@login_required
@require_POST
def import_apply(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    webinar = managed_webinar(request, slug)
    record = selectors.attendance_import_of(webinar, import_id, content=False)
    try:
        outcome = attendance_import_apply(
            attendance_import=record,
            actor=request.user,
            skip_unreadable=request.POST.get("skip_unreadable") == "on",
        )
    except ImportBlocked as error:
        messages.error(request, " ".join(error.messages))
        return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect("webinars:attendance_import", slug=webinar.slug, import_id=record.pk)
    summary = outcome.summary
    if outcome.applied:
        messages.success(
            request,
            _("Imported: %(attendees)d attendees (%(matched)d registrants, %(walk_ins)d walk-ins).")
            % summary,
        )
    else:
        messages.info(request, _("This file had already been imported: nothing changed."))
    return redirect("webinars:attendance", slug=webinar.slug)


@login_required
def attendance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    webinar = selectors.webinar_by_slug(slug)
    session_id = session_param(request)
    session = selectors.session_of(webinar, session_id) if session_id else None
    rows = attendance_export(viewer=request.user, webinar=webinar, session=session)
    name = f"{webinar.slug}-session-{session.pk}" if session else webinar.slug
    return csv_response(f"{name}-attendance.csv", EXPORT_HEADER, rows)


@login_required
def followup(request: HttpRequest, slug: str) -> HttpResponse:
    webinar = managed_webinar(request, slug)
    form = FollowUpForm(
        request.POST or None,
        initial={"recording_url": webinar.recording_url, "slides_url": webinar.slides_url},
    )
    if request.method == "POST" and form.is_valid():
        try:
            counts = webinar_publish_followup(
                webinar=webinar, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Saved. %(thank_you)d thank-you and %(sorry_missed)d sorry-we-missed-you "
                    "emails are being sent."
                )
                % counts,
            )
            return redirect("webinars:followup", slug=webinar.slug)
    return render(
        request,
        "webinars/analytics/followup.html",
        {"webinar": webinar, "form": form, "pending": followup_pending(webinar=webinar)},
    )

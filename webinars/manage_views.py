"""Organizer pages: webinars, sessions, registrants, messages and the CSV export."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from webinars import selectors, services
from webinars.analytics import REGISTRANT_COLUMNS, registrant_rows
from webinars.forms import (
    AddRegistrantForm,
    MessageForm,
    SessionForm,
    WebinarForm,
    registrant_fields,
)
from webinars.models import Registration
from webinars.permissions import can_create_webinars, managed_webinar, usable_series


@login_required
def dashboard(request):
    if not can_create_webinars(request.user):
        raise PermissionDenied
    webinars = selectors.webinars_managed_by(request.user)
    return render(request, "webinars/manage/dashboard.html", {"webinars": webinars})


@login_required
def webinar_edit(request, slug: str | None = None):
    webinar = managed_webinar(request, slug) if slug else None
    if webinar is None and not can_create_webinars(request.user):
        raise PermissionDenied
    form = WebinarForm(
        request.POST or None,
        instance=webinar,
        organizations=selectors.organizations_for(request.user),
        series=usable_series(request.user, current_id=webinar.series_id if webinar else None),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_fields()
        organizations, topics = data.pop("organizations"), data.pop("topics")
        try:
            if webinar is None:
                webinar = services.webinar_create(
                    actor=request.user, organizations=organizations, topics=topics, **data
                )
            else:
                services.webinar_update(
                    webinar=webinar,
                    actor=request.user,
                    organizations=organizations,
                    topics=topics,
                    **data,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Webinar saved."))
            return redirect("webinars:manage_webinar", slug=webinar.slug)
    return render(request, "webinars/manage/webinar_form.html", {"form": form, "webinar": webinar})


@login_required
def webinar_manage(request, slug: str):
    webinar = managed_webinar(request, slug)
    sessions = selectors.sessions_of(webinar)
    return render(
        request, "webinars/manage/webinar.html", {"webinar": webinar, "sessions": sessions}
    )


@login_required
def session_edit(request, slug: str, session_id: int | None = None):
    webinar = managed_webinar(request, slug)
    session = selectors.session_of(webinar, session_id) if session_id else None
    initial = {"host_zone": request.user.time_zone, "duration_minutes": 90}
    if session is not None:
        local = session.starts_at.astimezone(ZoneInfo(session.host_zone))
        initial = {
            "title": session.title,
            "local_start": local.replace(tzinfo=None),
            "host_zone": session.host_zone,
            "duration_minutes": session.duration_minutes,
            "capacity": session.capacity,
            "join_url": session.join_url,
        }
    elif request.GET.get("start_utc"):  # "use this time" from the planner
        try:
            start = datetime.fromisoformat(request.GET["start_utc"].replace("Z", "+00:00"))
            zone = ZoneInfo(initial["host_zone"])
            initial["local_start"] = start.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        except ValueError:
            messages.error(request, _("That start time could not be read."))
    form = SessionForm(request.POST or None, initial=initial)
    preview_at = session.starts_at if session else None
    if request.method == "POST" and "preview" in request.POST:
        if form.is_valid():
            preview_at = form.cleaned_data["starts_at"]
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "host_zone": data["host_zone"],
            "capacity": data["capacity"],
            "join_url": data["join_url"],
            "title": data["title"],
        }
        try:
            if session is None:
                services.session_create(webinar=webinar, actor=request.user, **fields)
            else:
                services.session_reschedule(session=session, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session saved."))
            return redirect("webinars:manage_webinar", slug=webinar.slug)
    preview = selectors.audience_clocks(webinar, preview_at, limit=8) if preview_at else []
    return render(
        request,
        "webinars/manage/session_form.html",
        {"form": form, "webinar": webinar, "session": session, "preview": preview},
    )


@login_required
@require_POST
def session_cancel(request, slug: str, session_id: int):
    webinar = managed_webinar(request, slug)
    session = selectors.session_of(webinar, session_id)
    services.session_cancel(session=session, actor=request.user)
    messages.success(request, _("Session cancelled; registrants are being told."))
    return redirect("webinars:manage_webinar", slug=webinar.slug)


def _registrants(webinar, params: QueryDict) -> QuerySet[Registration]:
    """The registrants the list's search and filters (?q=, ?status=, ?country=) ask for."""
    return selectors.registrants_of(
        webinar,
        query=params.get("q", ""),
        status=params.get("status", ""),
        country=params.get("country", ""),
    )


@login_required
def registrants(request, slug: str):
    webinar = managed_webinar(request, slug)
    page = Paginator(_registrants(webinar, request.GET), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "webinars/manage/registrants.html",
        {
            "webinar": webinar,
            "page": page,
            "statuses": Registration.Status.choices,
            "add_form": AddRegistrantForm(webinar=webinar),
            "message_form": MessageForm(),
            "params": request.GET,
        },
    )


@login_required
@require_POST
def registrant_action(request, slug: str, registration_id: int):
    webinar = managed_webinar(request, slug)
    registration = selectors.registration_of(webinar, registration_id)
    action = {
        "approve": services.registration_approve,
        "reject": services.registration_reject,
        "cancel": services.registration_cancel,
    }.get(request.POST.get("action"))
    if action is None:
        messages.error(request, _("Unknown action."))
    else:
        try:
            action(registration=registration, actor=request.user)
            messages.success(request, _("Done."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("webinars:registrants", slug=webinar.slug)


@login_required
@require_POST
def registrant_add(request, slug: str):
    webinar = managed_webinar(request, slug)
    form = AddRegistrantForm(request.POST, webinar=webinar)
    if form.is_valid():
        services.registration_create(
            webinar=webinar,
            **registrant_fields(form.cleaned_data),
            consent=False,
            by_organizer=True,
            source="organizer",
        )
        messages.success(request, _("Registrant added."))
    else:
        messages.error(
            request,
            _("The registrant could not be added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())},
        )
    return redirect("webinars:registrants", slug=webinar.slug)


@login_required
@require_POST
def registrants_message(request, slug: str):
    webinar = managed_webinar(request, slug)
    form = MessageForm(request.POST)
    if form.is_valid():
        count = services.webinar_message_registrants(
            webinar=webinar, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Message queued for %(count)d registrants.") % {"count": count})
    else:
        messages.error(request, _("A message needs a subject and a text."))
    return redirect("webinars:registrants", slug=webinar.slug)


@login_required
def registrants_csv(request, slug: str):
    """The list as filtered, every registrant (streamed), with the questions' answers; its
    cells are built by the attendance export's builder (`registrant_cells`)."""
    webinar = managed_webinar(request, slug)
    rows = registrant_rows(_registrants(webinar, request.GET))
    return csv_response(f"{webinar.slug}-registrants.csv", REGISTRANT_COLUMNS, rows)

"""Public webinar pages: list, detail with registration, calendar files, manage and join links."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.clock import now
from core.ics import feed
from core.links import absolute_url
from core.page_cache import shared_page
from core.ratelimit import allow, client_ip
from core.usage import usage_record
from webinars import links, selectors, services
from webinars.emails import calendar_entry
from webinars.forms import (
    RegistrationForm,
    SwitchSessionForm,
    listing_filters,
    registrant_fields,
)
from webinars.models import Session
from webinars.permissions import can_manage_webinar
from webinars.regions import REGION_CHOICES


def webinar_list(request):
    filters = listing_filters(request)
    return render(
        request,
        "webinars/list.html",
        {
            "upcoming": selectors.webinars_upcoming(**filters),
            "past": selectors.webinars_past(**filters),
            "topics": selectors.topics_all(),
            "regions": REGION_CHOICES,
            "filters": filters,
        },
    )


def _open_sessions(sessions):
    at = now()
    return [s for s in sessions if s.status == Session.Status.SCHEDULED and s.ends_at > at]


def _initial(request):
    user = request.user
    if user.is_authenticated:
        return {
            "email": user.email,
            "full_name": user.full_name,
            "organization_name": user.organization.name if user.organization else "",
            "country": user.country,
            "language": user.language,
            "time_zone": user.time_zone,
        }
    return {"language": get_language(), "time_zone": request.timezone_name}


def webinar_detail(request, slug: str):
    if request.method == "POST":
        webinar, sessions = selectors.webinar_for_registration(slug=slug, viewer=request.user)
        form = RegistrationForm(request.POST, webinar=webinar, sessions=_open_sessions(sessions))
        response = _register(request, webinar, form)
        # The page again, with the form's errors, after a POST that did not register.
        return response or _webinar_page(request, slug, form)

    # A visitor's page is the same for everyone with their language and zone: rendered
    # once per version of the webinar and its sessions (seats taken included).
    def stamp() -> tuple:
        at = now()
        webinar, rows = selectors.webinar_page_stamp(slug=slug, viewer=request.user, at=at)
        return rows, services.registration_closed_reason(webinar, at)

    return shared_page(request, stamp, lambda extra: _webinar_page(request, slug, None, extra))


def _webinar_page(request, slug: str, form, extra_context: dict | None = None):
    webinar = selectors.webinar_for_viewer(slug=slug, viewer=request.user)
    sessions = _open_sessions(webinar.sessions.all())
    closed_reason = services.registration_closed_reason(webinar, now())
    if form is None and sessions and closed_reason is None:
        form = RegistrationForm(
            webinar=webinar,
            sessions=sessions,
            initial={**_initial(request), "src": request.GET.get("src", "")[:60]},
        )
    session_rows = [
        {"session": s, "clocks": selectors.audience_clocks(webinar, s.starts_at)}
        for s in webinar.sessions.all()
    ]
    return render(
        request,
        "webinars/detail.html",
        {
            "webinar": webinar,
            "session_rows": session_rows,
            "form": form,
            "closed_reason": closed_reason,
            "can_manage": can_manage_webinar(request.user, webinar),
            "related": selectors.webinar_related(webinar=webinar, viewer=request.user),
            **(extra_context or {}),
        },
    )


def _register(request, webinar, form):
    if form.is_bot():
        # Answer like a success so the bot learns nothing; store and send nothing.
        return redirect("webinars:registered", slug=webinar.slug)
    if not form.is_valid():
        return None
    email = form.cleaned_data["email"].strip().lower()
    if not allow("register-ip", client_ip(request), settings.REGISTRATION_RATE_PER_IP) or not allow(
        "register-address", email, settings.REGISTRATION_RATE_PER_ADDRESS
    ):
        form.add_error(None, _("Too many registrations from here. Please try again later."))
        return None
    data = form.cleaned_data
    try:
        outcome = services.registration_create(
            webinar=webinar,
            **registrant_fields(data),
            answers=form.answers(),
            consent=data["consent"],
            source=data.get("src") or "",
            member=request.user if request.user.is_authenticated else None,
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None
    token = signing.dumps(
        [outcome.registration.pk, outcome.created, outcome.resent], salt=RESULT_SALT
    )
    return redirect(f"{reverse('webinars:registered', args=[webinar.slug])}?r={token}")


RESULT_SALT = "webinars.registered"
RESULT_MAX_AGE = 3600  # the result link shows what happened for an hour, then a generic page


def registered(request, slug: str):
    """What happened, said plainly: confirmed, waitlisted (and where), awaiting approval,
    or already registered (the confirmation re-sent, or not yet again). Without a valid
    result link (a bot's answer, an old link) the page only says to check email."""
    result = None
    try:
        registration_id, created, *resent = signing.loads(
            request.GET.get("r", ""), salt=RESULT_SALT, max_age=RESULT_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        pass
    else:
        result = selectors.registration_result(
            registration_id=int(registration_id),
            created=bool(created),
            resent=bool(resent[0]) if resent else not created,  # links made before it said
        )
    # The result's webinar is the page's when the link is for it: no second query.
    webinar = selectors.webinar_brief(
        slug=slug, viewer=request.user, loaded=result.webinar if result else None
    )
    if result is not None and result.webinar.pk != webinar.pk:
        result = None
    resend_minutes = int(services.registrations.RESEND_EVERY.total_seconds() // 60)
    # The same page for everyone with the same outcome (the waiting list's place included).
    outcome = None
    if result is not None:
        outcome = (result.status, result.created, result.resent, result.waitlist_position)
    return shared_page(
        request,
        lambda: (webinar.pk, webinar.updated_at, outcome),
        lambda extra: render(
            request,
            "webinars/registered.html",
            {"webinar": webinar, "result": result, "resend_minutes": resend_minutes, **extra},
        ),
        reads=("r",),
    )


def _google_link(webinar, session) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": webinar.title,
            "dates": f"{session.starts_at.strftime(fmt)}/{session.ends_at.strftime(fmt)}",
            "details": absolute_url(f"/webinars/{webinar.slug}/"),
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


def _outlook_link(webinar, session) -> str:
    query = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": webinar.title,
            "startdt": session.starts_at.isoformat(),
            "enddt": session.ends_at.isoformat(),
            "body": absolute_url(f"/webinars/{webinar.slug}/"),
        }
    )
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{query}"


CALENDAR_LINKS = {"google": _google_link, "outlook": _outlook_link}


def session_calendar_link(request, slug: str, session_id: int, service: str):
    """Add to Google or Outlook: a redirect, so the page carries a short link per session
    instead of two long prefilled ones."""
    if service not in CALENDAR_LINKS:
        raise Http404
    webinar = selectors.webinar_brief(slug=slug, viewer=request.user)
    session = selectors.session_of(webinar, session_id)
    return redirect(CALENDAR_LINKS[service](webinar, session))


def session_ics(request, slug: str, session_id: int):
    webinar = selectors.webinar_for_viewer(slug=slug, viewer=request.user)
    session = selectors.session_of(webinar, session_id)
    entry = calendar_entry(session, url=absolute_url(f"/webinars/{webinar.slug}/"))
    body = feed([entry], name=webinar.title, stamp=now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{webinar.slug}-{session.pk}.ics"'
    return response


def manage_registration(request, token: str):
    registration = links.registration_from_manage_token(token)
    if registration is None:
        raise Http404
    switch_form = SwitchSessionForm(
        request.POST if request.POST.get("action") == "switch" else None,
        registration=registration,
    )
    confirm_cancel = False
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel" and request.POST.get("confirm") != "yes":
                # Asked once, on a page of its own (no script needed); a second submit of
                # the confirmation finds it cancelled already and changes nothing.
                confirm_cancel = registration.status not in ("cancelled", "rejected")
            elif request.POST.get("action") == "cancel":
                services.registration_cancel(registration=registration)
                messages.success(request, _("Your registration is cancelled."))
                return redirect(request.path)
            if request.POST.get("action") == "switch" and switch_form.is_valid():
                services.registration_switch_session(
                    registration=registration, session=switch_form.cleaned_data["session"]
                )
                messages.success(request, _("You have moved to the other session."))
                return redirect(request.path)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
    return render(
        request,
        "webinars/manage_registration.html",
        {
            "registration": registration,
            "confirm_cancel": confirm_cancel,
            "switch_form": switch_form,
            "join_url": links.join_url(registration),
            "qa_url": links.qa_url(registration),
        },
    )


def join(request, token: str):
    registration = selectors.registration_for_join(token=token)
    if registration is None:
        raise Http404
    try:
        room_open = services.registration_record_join(registration=registration)
    except PermissionDenied:
        raise Http404
    session = registration.session
    organization = registration.webinar.organizations.order_by("pk").first()
    usage_record(
        kind="join",
        request=request,
        target=f"webinar:{registration.webinar.slug}",
        organization=organization.pk if organization else None,
    )
    if room_open and session.join_url:
        return redirect(session.join_url)
    at = now()
    seconds = links.seconds_until_join_opens(session, at)
    return render(
        request,
        "webinars/join_wait.html",
        {
            "registration": registration,
            "session": session,
            "seconds_to_open": seconds,
            "opens_in": links.waiting_time(seconds),
            "over": links.join_window_over(session, at),
            # Open, but no platform link yet: look again in a minute (a countdown at 0
            # would reload the page at once, again and again).
            "waiting_for_link": room_open,
        },
    )


def join_qa(request, token: str):
    """The personal join link admits its registrant to that session's live Q&A room (and
    only that one), under the name they registered with, account or not."""
    registration = selectors.registration_for_join(token=token)
    if registration is None:
        raise Http404
    request.session["qa_registration"] = registration.pk
    return redirect("communities:qa_room", session_id=registration.session_id)

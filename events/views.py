"""The calendar (list and month, in the viewer's zone) and its ICS feeds."""

import calendar as pycalendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import now
from core.ics import feed
from core.links import absolute_url
from events import selectors, services
from events.models import PersonalFeed
from webinars.emails import calendar_entry, registration_calendar_entry
from webinars.forms import listing_filters
from webinars.models import Session
from webinars.regions import REGION_CHOICES
from webinars.selectors import topics_all


def _month(request) -> date:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localtime(now()).date().replace(day=1)


def calendar_page(request):
    filters = listing_filters(request)
    view = "month" if request.GET.get("view") == "month" else "list"
    zone = timezone.get_current_timezone()
    context = {"filters": filters, "view": view, "topics": topics_all(), "regions": REGION_CHOICES}
    if view == "list":
        context["sessions"] = selectors.public_sessions(
            start=now() - timedelta(hours=3), **filters
        )[:200]
    else:
        first = _month(request)
        start = datetime(first.year, first.month, 1, tzinfo=zone)
        days_in_month = pycalendar.monthrange(first.year, first.month)[1]
        end = start + timedelta(days=days_in_month)
        sessions = selectors.public_sessions(start=start, end=end, **filters)
        by_day: dict[date, list[Session]] = {}
        for session in sessions:
            by_day.setdefault(timezone.localtime(session.starts_at, zone).date(), []).append(
                session
            )
        weeks = [
            [(day, by_day.get(day, [])) if day.month == first.month else (None, []) for day in week]
            for week in pycalendar.Calendar().monthdatescalendar(first.year, first.month)
        ]
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        context.update(
            {
                "weeks": weeks,
                "month": first,
                "previous": previous.strftime("%Y-%m"),
                "next": following.strftime("%Y-%m"),
            }
        )
    return render(request, "events/calendar.html", context)


def _ics_response(entries, name: str) -> HttpResponse:
    response = HttpResponse(
        feed(entries, name=name, stamp=now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="baraza.ics"'
    return response


def public_feed(request):
    sessions = selectors.public_sessions(
        start=now() - timedelta(days=30), include_cancelled=True, **listing_filters(request)
    )
    entries = [
        calendar_entry(s, url=absolute_url(reverse("webinars:detail", args=[s.webinar.slug])))
        for s in sessions
    ]
    return _ics_response(entries, "Baraza webinars")


def personal_feed(request, token: str):
    feed_row = PersonalFeed.objects.select_related("member").filter(token=token).first()
    if feed_row is None or not feed_row.member.is_active:
        raise Http404
    entries = [
        registration_calendar_entry(
            r, url=absolute_url(reverse("webinars:detail", args=[r.webinar.slug]))
        )
        for r in selectors.member_registrations(member=feed_row.member)
    ]
    return _ics_response(entries, _("My Baraza webinars"))


@login_required
def my_feed(request):
    """GET shows the member's secret address if they made one; POST makes it."""
    if request.method == "POST":
        services.personal_feed_create(member=request.user)
        return redirect("events:my_feed")
    feed_row = selectors.personal_feed_of(member=request.user)
    url = absolute_url(reverse("events:personal_feed", args=[feed_row.token])) if feed_row else ""
    return render(
        request,
        "events/my_feed.html",
        {
            "feed_url": url,
            "registrations": selectors.member_registrations(member=request.user),
        },
    )


@login_required
@require_POST
def my_feed_revoke(request):
    services.personal_feed_revoke(member=request.user)
    messages.success(request, _("Your old calendar address no longer works; here is the new one."))
    return redirect("events:my_feed")

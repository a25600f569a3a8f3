"""The organizers' planner page: a grid of candidate starts and a world clock for one of them."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django_countries import countries

from webinars.analytics import attendance_rate_by_region_local_hour, history_lines
from webinars.planner import plan
from webinars.planner_forms import PlannerForm

GRID_ROWS = 12


def _instant(text: str | None) -> datetime | None:
    """'2027-03-29T06:00:00Z' → an aware UTC datetime; None if absent or malformed."""
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant.astimezone(UTC) if instant.tzinfo else None


def _utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


def _use_url(request, form, instant: datetime) -> str:
    slug = form.cleaned_data.get("webinar")
    start = _utc_text(instant)
    if slug:
        url = reverse("webinars:session_new", kwargs={"slug": slug})
        return f"{url}?{urlencode({'start_utc': start})}"
    return _query(request, start_utc=start, chosen=start) + "#world-clock"


@login_required
def planner(request):
    submitted = "date" in request.GET  # a link with only ?webinar=<slug> just fills the form
    form = PlannerForm(
        request.GET if submitted else None,
        member=request.user,
        initial={"webinar": request.GET.get("webinar", "")},
    )
    selected = _instant(request.GET.get("start_utc"))
    context = {
        "form": form,
        "selected_start": selected,
        "selected_start_utc": _utc_text(selected) if selected else "",
    }
    if submitted and form.is_valid():
        result = plan(**form.plan_arguments())
        history = attendance_rate_by_region_local_hour(viewer=request.user)
        chosen = result.candidate_at(_instant(request.GET.get("chosen")))
        chosen = chosen or (result.candidates[0] if result.candidates else None)
        columns = result.candidates[0].countries if result.candidates else ()
        context.update(
            result=result,
            columns=[(row.country, row.zone, countries.name(row.country)) for row in columns],
            grid=[
                (
                    candidate,
                    _query(request, chosen=_utc_text(candidate.start_utc)) + "#world-clock",
                    history_lines(candidate.countries, history),
                )
                for candidate in result.candidates[:GRID_ROWS]
            ],
            history=bool(history),
            chosen=chosen,
            clock=[(row, countries.name(row.country)) for row in chosen.countries]
            if chosen
            else [],
            use_url=_use_url(request, form, chosen.start_utc) if chosen else "",
            pair_sessions=[
                (
                    session,
                    [countries.name(c) for c, i in result.pair.assignment.items() if i == index],
                    _query(request, chosen=_utc_text(session.start_utc)) + "#world-clock",
                )
                for index, session in enumerate(result.pair.sessions)
            ]
            if result.pair
            else [],
        )
    return render(request, "webinars/planner.html", context)

"""Pages that bring several apps together (so they live where the project is assembled)."""

from datetime import timedelta

from django.shortcuts import render

from communities.selectors.spaces import communities_active
from core.clock import now
from events.selectors import events_in_window
from members.selectors import organizations_featured
from webinars.selectors import sessions_next


def home(request):
    """What is coming: the next webinars in the visitor's zone, the communities that are
    talking, the partners. Communities and partners are the same for everyone and are
    cached in the template; their selectors run only when that cache is cold."""
    return render(
        request,
        "home.html",
        {
            "sessions": sessions_next(limit=6),
            # The calendar's other events this week (webinars are listed just above).
            "this_week": events_in_window(start=now(), end=now() + timedelta(days=7))[:12],
            "communities": communities_active,
            "organizations": organizations_featured,
        },
    )

"""Pages that bring several apps together (so they live where the project is assembled)."""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import render

from communities.selectors.spaces import communities_active, community_public
from core.clock import now
from events.selectors import events_in_window
from events.views import scoped_feed
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


def community_feed(request, slug: str):
    """A public community's calendar: its organization's webinars and events, on the
    community's topics when it has some. Calendar programs fetch without a login, so a
    community that is not public has no feed (its existence does not leak either)."""
    community = community_public(slug=slug)
    if community is None or community.organization is None:
        raise Http404
    return scoped_feed(
        request,
        name=f"Baraza — {community.name}",
        organization=community.organization.slug,
        topics=[topic.slug for topic in community.topics.all()],
    )

"""Pages that bring several apps together (so they live where the project is assembled)."""

from django.shortcuts import render

from communities.selectors.spaces import communities_active
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
            "communities": communities_active,
            "organizations": organizations_featured,
        },
    )

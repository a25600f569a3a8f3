from django import template
from django.utils import timezone

from communities.selectors.spaces import series_community

register = template.Library()


@register.inclusion_tag("communities/_continue.html", takes_context=True)
def continue_discussion(context, webinar):
    """On a webinar's page: the community where its series' discussion continues."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    community = series_community(series_id=webinar.series_id, viewer=viewer)
    return {"community": community, "webinar": webinar}


@register.filter(expects_localtime=False)
def clock_time(instant) -> str:
    """HH:MM in the viewer's zone (the chat names the zone once, above the messages)."""
    if not instant:
        return ""
    return instant.astimezone(timezone.get_current_timezone()).strftime("%H:%M")

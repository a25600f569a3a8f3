from django import template
from django.utils import timezone

register = template.Library()


@register.filter(expects_localtime=False)
def clock_time(instant) -> str:
    """HH:MM in the viewer's zone (the chat names the zone once, above the messages)."""
    if not instant:
        return ""
    return instant.astimezone(timezone.get_current_timezone()).strftime("%H:%M")

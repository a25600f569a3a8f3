from datetime import datetime

from django import template
from django.utils import timezone

from core.zones import format_instant

register = template.Library()


@register.filter(expects_localtime=False)
def in_zone(instant: datetime | None, zone: str | None = None) -> str:
    """`{{ instant|in_zone }}` in the viewer's zone, or `{{ instant|in_zone:"Asia/Manila" }}`."""
    if instant is None or instant == "":
        return ""
    return format_instant(instant, zone or timezone.get_current_timezone())


@register.simple_tag
def current_zone_label() -> str:
    """'Asia/Manila, UTC+8' for the zone active now."""
    from core.clock import now
    from core.zones import format_offset

    zone = timezone.get_current_timezone()
    return f"{zone.key}, {format_offset(now().astimezone(zone).utcoffset())}"

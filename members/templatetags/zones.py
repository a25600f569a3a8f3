from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from core.zones import DEFAULT_ZONE, format_instant

register = template.Library()


@register.filter(expects_localtime=False, needs_autoescape=True)
def in_zone(instant: datetime | None, zone: str | None = None, autoescape: bool = True) -> str:
    """`{{ instant|in_zone }}` in the viewer's zone, or `{{ instant|in_zone:"Asia/Manila" }}`.

    On a page shown in the fallback zone (a first visit: the browser has not told its
    zone yet) the time is a `<time datetime>` that static/js/timezone.js rewrites in the
    browser's zone, so the first page needs no reload to show local times.
    """
    if instant is None or instant == "":
        return ""
    active = timezone.get_current_timezone()
    shown = format_instant(instant, zone or active)
    if zone is None and autoescape and active.key == DEFAULT_ZONE:
        stamp = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return format_html('<time datetime="{}" data-local>{}</time>', stamp, shown)
    return shown


@register.simple_tag
def date_format() -> str:
    """The Django date format of shown instants (display_format), for timezone.js."""
    from core.zones import display_format

    return display_format()


@register.simple_tag
def current_zone_label() -> str:
    """'Asia/Manila, UTC+8' for the zone active now."""
    from core.clock import now
    from core.zones import format_offset

    zone = timezone.get_current_timezone()
    return f"{zone.key}, {format_offset(now().astimezone(zone).utcoffset())}"

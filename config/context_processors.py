from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Each app adds its entry when it lands: (url name, label).
NAVIGATION = [
    ("webinars:list", _("Webinars")),
    ("communities:list", _("Communities")),
    ("events:calendar", _("Events")),
    ("library:publications", _("Library")),
    ("library:glossary", _("Glossary")),
]


@lru_cache(maxsize=1)
def _navigation_entries():
    """Resolved once per process: URLs do not change while it runs (labels stay lazy)."""
    entries = []
    for name, label in NAVIGATION:
        try:
            entries.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue  # the app has not landed yet
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    unread = None
    if user is not None and user.is_authenticated:
        from notifications.services import unread_count

        unread = unread_count(user)
    return {
        "unread_notifications": unread,
        "nav_entries": _navigation_entries(),
        "LANGUAGES": settings.LANGUAGES,
        "TIMEZONE_COOKIE_NAME": settings.TIMEZONE_COOKIE_NAME,
    }

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

# Each app adds its entry when it lands: (url name, label).
NAVIGATION = [
    ("webinars:list", _("Webinars")),
    ("communities:list", _("Communities")),
    ("events:calendar", _("Events")),
    ("library:publications", _("Library")),
    ("library:glossary", _("Glossary")),
    ("library:programmes", _("Programmes")),
    ("surveys:list", _("Surveys")),
]


@lru_cache(maxsize=1)
def navigation_entries():
    """Resolved once per process: URLs do not change while it runs (labels stay lazy)."""
    entries = []
    for name, label in NAVIGATION:
        try:
            entries.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue  # the app has not landed yet
    return entries


def _moderates(user) -> bool:
    from communities.selectors.dashboard import moderates_any

    return moderates_any(viewer=user)


def navigation(request):
    user = getattr(request, "user", None)
    unread = None
    moderates = False
    if user is not None and user.is_authenticated:
        from notifications.services import unread_count

        # Each is one query, run only if the page renders the account menu (fragments
        # fetched by scripts do not).
        unread = SimpleLazyObject(lambda: unread_count(user))
        moderates = SimpleLazyObject(lambda: _moderates(user))
    return {
        "unread_notifications": unread,
        "moderates": moderates,
        "nav_entries": navigation_entries(),
        "LANGUAGES": settings.LANGUAGES,
        "TIMEZONE_COOKIE_NAME": settings.TIMEZONE_COOKIE_NAME,
    }

"""Keep the garbage collector off what a server process holds for its whole life.

Once Django is set up, a process holds a large heap that lives as long as it does:
modules, URL patterns, translation catalogues, zone and country tables (about 180,000
objects). CPython's collector walks every tracked object at each full collection, and
a busy server allocates enough per request to start one every few hundred requests:
a few milliseconds of each registration went there (bench/registration.py's flow,
measured with gc.callbacks). `gc.freeze()` moves what exists at start-up out of the
collector's sight; what requests allocate is collected as before.
"""

import gc


def heap_settle() -> None:
    """Load what every request uses, then freeze the heap (call once, at start-up)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and urls
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Baraza")  # loads the language's catalogues
    gc.collect()
    gc.freeze()

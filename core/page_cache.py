"""Pages a visitor sees exactly as every other visitor does, rendered once and reused.

A public page that reads the same for every visitor with the same language and time
zone (a webinar's page, the page after registering) costs its queries and a full
template render on every view. `shared_page` keeps the rendered HTML in the cache under
what the caller says the page depends on (`parts`: a version stamp of its rows), plus
everything the layout reads from the request: the path, the language, the zone and
where it came from, and the hour (zone offsets in labels).

Only the CSRF token differs between visitors: the page is rendered with a placeholder
for it and each response gets its own token (and the cookie, as a render would set
it). A request that could make the page differ from the shared one is rendered as
usual and not stored: a signed-in member, a query string, flash messages waiting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from core.clock import now

TOKEN_PLACEHOLDER = "csrf-token-of-this-request-3f9c1e7a"
TIMEOUT = 60  # seconds: what `parts` leaves out (names of related rows) is this stale at most


def is_shared(request: HttpRequest) -> bool:
    """Whether `request` sees the page every visitor sees."""
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def shared_page(
    request: HttpRequest, parts: Callable[[], tuple], render: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """The page `render(extra_context)` makes, from the cache when a visitor already had it.

    `parts()` (called only for a shared request) must return every row value the page
    shows, or a version stamp of them such as an `updated_at`. `render` is called with
    `extra_context` to merge into its template context; its answer is stored only when
    it is a 200 page."""
    if not is_shared(request):
        return render({})
    # The zone and where it came from: members.middleware sets them on every request.
    zone = (getattr(request, "timezone_name", ""), getattr(request, "timezone_source", ""))
    page = (request.path, get_language(), zone, now().strftime("%Y%m%d%H"), parts())
    key = "page:" + hashlib.sha256(repr(page).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        response = render({"csrf_token": TOKEN_PLACEHOLDER})
        if response.status_code != 200 or response.streaming or response.cookies:
            return _with_token(request, response)
        html = response.content.decode(response.charset)
        cache.set(key, html, TIMEOUT)
    return HttpResponse(html.replace(TOKEN_PLACEHOLDER, get_token(request)))


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming and TOKEN_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            TOKEN_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response

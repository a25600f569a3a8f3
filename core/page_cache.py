"""Pages a visitor sees exactly as every other visitor does, rendered once and reused.

A public page that reads the same for every visitor with the same language and time
zone (a webinar's page, the page after registering) costs its queries and a full
template render on every view. `shared_page` keeps the rendered HTML in the cache under
what the caller says the page depends on (`parts`: a version stamp of its rows), plus
everything the layout reads from the request: the path, the language, the zone and
where it came from, and the hour (zone offsets in labels).

What differs between visitors is put in each response: the CSRF token (the page is
rendered with a stand-in for it; each visitor gets their own token, and the cookie as a
render would set it), and the address with its query string, which the layout repeats
in its language and zone links (a query parameter the caller reads into `parts`, such
as the thank-you page's signed result). A request that could make the page differ from
the shared one is rendered as usual and not stored: a signed-in member, a query
parameter the page does not account for, flash messages waiting.

What `parts` leaves out can be stale for TIMEOUT seconds at most: pass a stamp that
moves with every row the page shows (see webinars.page_version).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.utils.html import escape
from django.utils.translation import get_language

from core.clock import now

TOKEN_STAND_IN = "csrf-token-of-this-request-3f9c1e7a"
# With a space, so that the layout's two forms of it (`address_forms`) differ.
ADDRESS_STAND_IN = "/address of this request-3f9c1e7a"
TIMEOUT = 60  # seconds


def is_shared(request: HttpRequest, reads: Collection[str] = ()) -> bool:
    """Whether `request` sees the page every visitor sees (`reads`: the query
    parameters the page's `parts` account for)."""
    return (
        request.method == "GET"
        and set(request.GET) <= set(reads)
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def shared_page(
    request: HttpRequest,
    parts: Callable[[], tuple],
    render: Callable[[dict], HttpResponse],
    *,
    reads: Collection[str] = (),
) -> HttpResponse:
    """The page `render(extra_context)` makes, from the cache when a visitor already had it.

    `parts()` (called only for a shared request) must return every row value the page
    shows, or a version stamp of them such as an `updated_at`, and what it made of the
    query parameters in `reads`. `render` is called with `extra_context` to merge into
    its template context; its answer is stored only when it is a 200 page."""
    if not is_shared(request, reads):
        return render({})
    # The zone and where it came from: members.middleware sets them on every request.
    zone = (getattr(request, "timezone_name", ""), getattr(request, "timezone_source", ""))
    page = (request.path, get_language(), zone, now().strftime("%Y%m%d%H"), parts())
    key = "page:" + hashlib.sha256(repr(page).encode()).hexdigest()
    own = _own_values(request)
    html = cache.get(key)
    if html is None:
        response = render({"csrf_token": TOKEN_STAND_IN})
        if response.status_code != 200 or response.streaming or response.cookies:
            return _filled(request, response)
        html = response.content.decode(response.charset)
        html = filled(html, [(value, stand_in) for stand_in, value in own])
        cache.set(key, html, TIMEOUT)
    return HttpResponse(filled(html, [(TOKEN_STAND_IN, get_token(request)), *own]))


def address_forms(address: str) -> tuple[str, str]:
    """An address as the layout writes it: quoted (a link's `?next=`), then as it is (a
    field's value), both escaped. The quoted form holds no raw one."""
    return str(escape(urlencode(address))), str(escape(address))


def address_values(address: str) -> list[tuple[str, str]]:
    """(stand-in, value) for each form the layout writes `address` in."""
    return list(zip(address_forms(ADDRESS_STAND_IN), address_forms(address), strict=True))


def filled(text: str, values: list[tuple[str, str]]) -> str:
    """`text` with each stand-in replaced by its value, in one pass: a value that happens
    to hold a stand-in (an address can hold anything) is not replaced in turn."""
    if not values:
        return text
    by_stand_in = dict(values)
    pattern = re.compile("|".join(re.escape(stand_in) for stand_in in by_stand_in))
    return pattern.sub(lambda match: by_stand_in[match.group()], text)


def _own_values(request: HttpRequest) -> list[tuple[str, str]]:
    """The request's address as the layout writes it; without a query string the
    address is the path, part of the cache key."""
    if not request.META.get("QUERY_STRING"):
        return []
    return address_values(request.get_full_path())


def _filled(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming and TOKEN_STAND_IN.encode() in response.content:
        response.content = response.content.replace(
            TOKEN_STAND_IN.encode(), get_token(request).encode()
        )
    return response

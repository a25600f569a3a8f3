"""Parts of the layout rendered once per process and reused: `{% shared_fragment %}`.

The layout's header (the navigation, the account menu, the language and zone bar) costs
a few dozen tag renders on every page, and reads the same for every request that has the
same values in it. So base.html wraps it:

    {% shared_fragment "header" user.pk unread_notifications zone_label %}
      ...
    {% endshared_fragment %}

The rendered text is kept in this process under the fragment's template and name, the
active language, the script prefix, and the values listed after the name: list every
value the fragment shows or decides on (as `{% cache %}` asks). They must be plain
(numbers, strings, booleans, None; lazy ones are evaluated): a model instance would be
keyed by what `str()` says of it, which may be the same for two people, so it is refused.

What differs with every request is not part of the key but put back after the lookup:
the fragment is rendered with stand-ins (core.page_cache's) for the CSRF token
(`{% csrf_token %}`) and for the request's address, which it reads as `{{ here }}` (and
`{{ here|urlencode }}`), never `request.get_full_path`, which would be kept as it was.

Kept in the process, not in the Django cache: a lookup must cost less than the render
it saves, and a Redis round trip does not. Nothing is invalidated: a changed value makes
another key, and the oldest entries are dropped past LIMIT. A changed setting (tests)
clears them all.
"""

from __future__ import annotations

import threading

from django import template
from django.core.signals import setting_changed
from django.urls import get_script_prefix
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.page_cache import ADDRESS_STAND_IN, TOKEN_STAND_IN, address_values, filled

LIMIT = 2000  # fragments kept per process (a header is about 3 kB)
PLAIN = (str, int, float, bool, type(None))

register = template.Library()
_fragments: dict[tuple, str] = {}
_lock = threading.Lock()


def clear(**_signal) -> None:
    with _lock:
        _fragments.clear()


setting_changed.connect(clear)


def _plain(value) -> tuple[str, str]:
    """The value as a key part. A lazy object (the unread count) passes for what it
    wraps, and is evaluated by str()."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, PLAIN):
        raise TypeError(f"a shared fragment varies on plain values, not {value.__class__}")
    return value.__class__.__name__, str(value)


def _remember(key: tuple, text: str) -> None:
    with _lock:
        if len(_fragments) >= LIMIT:
            del _fragments[next(iter(_fragments))]  # the oldest
        _fragments[key] = text


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, place: str, name, vary_on):
        self.nodelist = nodelist
        self.place = place
        self.name = name
        self.vary_on = vary_on

    def render(self, context) -> str:
        request = context.get("request")
        if request is None:  # nothing to put back: rendered as it is
            return self.nodelist.render(context)
        values = tuple(_plain(value.resolve(context)) for value in self.vary_on)
        key = (self.place, self.name.resolve(context), get_language(), get_script_prefix(), values)
        text = _fragments.get(key)
        if text is None:
            with context.push(csrf_token=TOKEN_STAND_IN, here=ADDRESS_STAND_IN):
                text = self.nodelist.render(context)
            _remember(key, text)
        own = address_values(request.get_full_path())
        if TOKEN_STAND_IN in text:
            token = str(context.get("csrf_token", ""))
            if token in ("", "NOTPROVIDED"):  # no CSRF middleware: as {% csrf_token %} does
                with context.push(here=request.get_full_path()):
                    return self.nodelist.render(context)
            own.append((TOKEN_STAND_IN, token))
        # The template's output, escaped when rendered; the stand-ins' values are escaped
        # (address_forms) or a token of letters and digits.
        return mark_safe(filled(text, own))  # noqa: S308


@register.tag
def shared_fragment(parser, token):
    """{% shared_fragment "name" value... %} ... {% endshared_fragment %}"""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' takes a name and the values it varies on")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    place = parser.origin.name if parser.origin else ""
    return SharedFragmentNode(
        nodelist,
        place,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
    )

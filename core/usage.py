"""Usage an app reports as it happens (a download, a search, a join click).

Apps below monitoring cannot import it, so they report here; monitoring, when
installed, registers the sink that buffers and stores what is reported. With no sink
registered (monitoring off), reporting costs a function call and stores nothing.
"""

from collections.abc import Callable
from typing import Any

UsageSink = Callable[..., None]
_sinks: list[UsageSink] = []


def usage_sink_register(sink: UsageSink) -> None:
    """Called once from an AppConfig.ready(); registering the same sink twice is a no-op."""
    if sink not in _sinks:
        _sinks.append(sink)


def usage_record(*, kind: str, request: Any = None, **attrs: Any) -> None:
    """Report one usage event: `kind` names it ("download", "search", "join"), `request`
    (when there is one) tells the sink who and from where, `attrs` what (an item id,
    a query and its result count). Never raises into the caller's page."""
    for sink in _sinks:
        try:
            sink(kind=kind, request=request, **attrs)
        except Exception:  # usage figures must never break a page
            import logging

            logging.getLogger("baraza.usage").exception("usage sink failed for %s", kind)

"""The one source of "now". Tests move time with `core.clock.travel(...)`."""

from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_source: Callable[[], datetime] = timezone.now


def now() -> datetime:
    return _source()


@contextmanager
def travel(instant: datetime):
    """Within the block, `now()` answers `instant` (tests only)."""
    global _source
    previous = _source
    _source = lambda: instant  # noqa: E731
    try:
        yield
    finally:
        _source = previous

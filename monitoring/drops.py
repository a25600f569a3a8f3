"""Usage events lost on their way to the table, counted where staff can see them.

A process drops an event when its buffer is full (the database has been slower than the
visitors, or out of reach, for a while), or when the database refuses the row or the
whole batch. Each process counts its drops by day in memory (`drop_count`: cheap enough
inside a request); after each batch its writer adds them to the day's DroppedUsage row,
one row for every process (`drops_store`). Counts the database cannot take either wait
for the next batch.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

logger = logging.getLogger("baraza.usage")

_pending: Counter[date] = Counter()
_total = 0
_lock = threading.Lock()


def drop_count(day: date, events: int = 1) -> int:
    """Count `events` of `day` as dropped; how many this process has dropped since it
    started."""
    global _total
    with _lock:
        _pending[day] += events
        _total += events
        return _total


def dropped() -> int:
    """How many events this process could not write since it started."""
    return _total


def drops_store() -> int:
    """Add the drops counted since the last call to their days' rows; how many."""
    with _lock:
        if not _pending:
            return 0
        pending = dict(_pending)
        _pending.clear()
    try:
        with transaction.atomic():
            for day, events in sorted(pending.items()):
                _add(day, events)
    except Exception:  # the database is out of reach: they wait for the next batch
        with _lock:
            _pending.update(pending)
        logger.warning("usage: the count of dropped events waits for the database")
        return 0
    return sum(pending.values())


def _add(day: date, events: int) -> None:
    from monitoring.models import DroppedUsage

    if DroppedUsage.objects.filter(day=day).update(events=F("events") + events):
        return
    try:
        with transaction.atomic():
            DroppedUsage.objects.create(day=day, events=events)
    except IntegrityError:  # another process made the day's row meanwhile
        DroppedUsage.objects.filter(day=day).update(events=F("events") + events)

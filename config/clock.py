"""The one source of "now". Tests move time by patching `config.clock.now`."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()

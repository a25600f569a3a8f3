"""Addresses made from titles, kept clear of the routes that share their URL prefix.

`/webinars/<slug>/` sits beside `/webinars/plan/`, `/webinars/manage/`…: a webinar whose
slug is `plan` would never be reached. Each app reserves the first segments of its own
URL patterns (read from the patterns, so a new route is reserved the day it is added).
"""

from collections.abc import Callable, Iterable

from django.urls import URLPattern, URLResolver
from django.utils.text import slugify


def route_prefixes(urlpatterns: Iterable[URLPattern | URLResolver]) -> frozenset[str]:
    """The literal first path segments of `urlpatterns` ("plan/" → plan, "manage/new/" →
    manage); patterns that start with a converter (`<slug:slug>/`) reserve nothing."""
    reserved = set()
    for pattern in urlpatterns:
        route = str(pattern.pattern).lstrip("^")
        first = route.split("/", 1)[0]
        if first and "<" not in first and "(" not in first:
            reserved.add(first.split(".", 1)[0].lower())
    return frozenset(reserved)


def free_slug(
    text: str,
    *,
    taken: Callable[[str], bool],
    reserved: Iterable[str],
    max_length: int,
    fallback: str,
) -> str:
    """`text` as a slug that is neither reserved nor `taken`: "Plan" → plan-2 when `plan`
    is a route."""
    reserved = set(reserved)
    base = (slugify(text) or fallback)[:max_length].strip("-") or fallback
    candidate, n = base, 1
    while candidate in reserved or taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate

"""Download counting: per publication, calendar month (UTC) and country. The country
comes from the member's profile or, for a visitor, from the time-zone cookie the site
already sets (Asia/Manila → PH); no address and no person is stored. Crawlers are not
counted."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from core.clock import now
from core.usage import usage_record
from core.zones import canonical_zone, country_zones
from library.models import DownloadCount, Publication


@lru_cache(maxsize=1)
def _zone_country() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, zones in country_zones().items():
        for zone in zones:
            table.setdefault(zone, code)
    return table


def country_of_zone(zone: str | None) -> str:
    name = canonical_zone(zone) if zone else None
    return _zone_country().get(name or "", "")


def is_crawler(user_agent: str) -> bool:
    if not user_agent:
        return False
    from crawlerdetect import CrawlerDetect

    return bool(CrawlerDetect(user_agent=user_agent).isCrawler())


def visitor_country(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.country:
        return str(user.country)
    return country_of_zone(request.COOKIES.get(settings.TIMEZONE_COOKIE_NAME))


def download_count(*, publication: Publication, country: str, month: date | None = None) -> None:
    """One more download of `publication` this month from `country` ("" unknown)."""
    month = month or now().date().replace(day=1)
    country = (country or "")[:2].upper()
    for _attempt in range(2):
        updated = DownloadCount.objects.filter(
            publication=publication, month=month, country=country
        ).update(count=F("count") + 1)
        if updated:
            return
        try:
            with transaction.atomic():
                DownloadCount.objects.create(
                    publication=publication, month=month, country=country, count=1
                )
            return
        except IntegrityError:
            continue  # another download created the row first: add to it


def download_record(*, request, publication: Publication) -> bool:
    """Count a download made through `request`; False (nothing counted) for crawlers."""
    if is_crawler(request.META.get("HTTP_USER_AGENT", "")):
        return False
    country = visitor_country(request)
    download_count(publication=publication, country=country)
    usage_record(
        kind="download",
        request=request,
        item=f"library.publication:{publication.pk}",
        country=country,
    )
    return True

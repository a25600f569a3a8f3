"""Reads over the daily counts: a constant number of queries whatever the period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Sum

from monitoring.models import DailyCount, UsageKind


def usage_day_report(*, day: date, top: int = 10) -> dict[str, Any]:
    """The `usage_report` contract for one day, from its daily counts (one query)."""
    rows = list(
        DailyCount.objects.filter(day=day, organization_id=0)
        .exclude(dimension__in=["referrer", "country", "language", "device", "query"])
        .values_list("kind", "dimension", "value", "count", "visitors")
    )
    totals = {
        kind: (count, visitors)
        for kind, dimension, _value, count, visitors in rows
        if dimension == "total"
    }
    pages = sorted(
        ((value, count) for kind, dimension, value, count, _v in rows if dimension == "path"),
        key=lambda item: (-item[1], item[0]),
    )
    no_results = sorted(
        ((value, count) for kind, dimension, value, count, _v in rows if dimension == "no_results"),
        key=lambda item: (-item[1], item[0]),
    )
    return {
        "date": day.isoformat(),
        "page_views": totals.get(UsageKind.PAGE_VIEW, (0, 0))[0],
        "visitors": totals.get(UsageKind.PAGE_VIEW, (0, 0))[1],
        "top_pages": [{"path": path, "views": views} for path, views in pages[:top]],
        "downloads": totals.get(UsageKind.DOWNLOAD, (0, 0))[0],
        "searches_without_results": [
            {"query": query, "count": count} for query, count in no_results[:top]
        ],
    }


def usage_totals(*, start: date, end: date, organization_id: int = 0) -> dict[str, int]:
    """Each kind's total over [start, end] (one query)."""
    return {
        kind: total or 0
        for kind, total in DailyCount.objects.filter(
            day__gte=start, day__lte=end, dimension="total", organization_id=organization_id
        )
        .values_list("kind")
        .annotate(total=Sum("count"))
        .values_list("kind", "total")
    }

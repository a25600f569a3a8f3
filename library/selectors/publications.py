"""Reads for the library's publication pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from core.clock import now
from library.models import DownloadCount, Programme, Publication, PublicationTransition
from library.search.service import published, with_listing_data, with_record_data
from library.services.publications import can_review

Status = Publication.Status
HOME_SIZE = 5


def most_downloaded(limit: int = HOME_SIZE) -> list[Publication]:
    top = list(
        DownloadCount.objects.filter(publication__status=Status.PUBLISHED)
        .values("publication_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "-publication_id")[:limit]
    )
    counts = {row["publication_id"]: row["n"] for row in top}
    by_id = {p.pk: p for p in with_listing_data(published().filter(pk__in=counts))}
    items = []
    for pk in counts:
        if pk in by_id:
            by_id[pk].downloads = counts[pk]  # type: ignore[attr-defined]
            items.append(by_id[pk])
    return items


def new_this_month(limit: int = HOME_SIZE) -> list[Publication]:
    start = now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return list(with_listing_data(published().filter(published_at__gte=start))[:limit])


def can_see(publication: Publication, viewer) -> bool:
    if publication.is_published:
        return True
    if not viewer.is_authenticated:
        return False
    return can_review(viewer) or publication.submitter_id == viewer.pk


def publication_for_page(*, pk: int, viewer) -> Publication:
    """The publication with what its page shows; 404 for one the viewer may not see."""
    found = (
        with_record_data(Publication.objects.filter(pk=pk))
        .select_related("submitter", "possible_duplicate")
        .prefetch_related(
            Prefetch(
                "work__versions",
                queryset=Publication.objects.filter(status=Status.PUBLISHED).order_by("language"),
                to_attr="published_versions",
            ),
            Prefetch("programmes", queryset=Programme.objects.order_by("country", "name_en")),
        )
        .first()
    )
    if found is None or not can_see(found, viewer):
        raise Http404
    return found


def sees_figures(publication: Publication, viewer) -> bool:
    """Download figures: staff, and members of an organization the publication names."""
    if not viewer.is_authenticated:
        return False
    if can_review(viewer):
        return True
    return viewer.organization_id is not None and any(
        o.pk == viewer.organization_id for o in publication.organizations.all()
    )


@dataclass(frozen=True)
class DownloadFigures:
    total: int
    by_month: list[tuple[date, int]]
    by_country: list[tuple[str, int]]


def download_figures(*, publication: Publication, viewer) -> DownloadFigures | None:
    if not sees_figures(publication, viewer):
        return None
    rows = list(
        DownloadCount.objects.filter(publication=publication).values_list(
            "month", "country", "count"
        )
    )
    months: dict[date, int] = {}
    places: dict[str, int] = {}
    for month, country, count in rows:
        months[month] = months.get(month, 0) + count
        places[country] = places.get(country, 0) + count
    return DownloadFigures(
        total=sum(months.values()),
        by_month=sorted(months.items(), reverse=True),
        by_country=sorted(places.items(), key=lambda item: (-item[1], item[0])),
    )


def download_total(publication: Publication) -> int:
    return DownloadCount.objects.filter(publication=publication).aggregate(n=Sum("count"))["n"] or 0


def review_queue(*, viewer) -> QuerySet[Publication]:
    if not can_review(viewer):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return (
        Publication.objects.filter(status__in=[Status.SUBMITTED, Status.CHANGES_REQUESTED])
        .select_related("submitter", "possible_duplicate")
        .order_by("updated_at", "pk")
    )


def review_log(publication: Publication) -> list[PublicationTransition]:
    return list(publication.transitions.select_related("actor").order_by("at", "pk"))


def submissions_of(member) -> QuerySet[Publication]:
    return Publication.objects.filter(submitter=member).order_by("-updated_at", "-pk")

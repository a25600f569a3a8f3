"""Publications: submitting, editing, and the review workflow.

A member submits → a reviewer (platform staff) works through the checklist (metadata
complete, taxonomy applied, licence allows sharing) and comments → publishes, requests
changes (the submitter edits and resubmits) or rejects with a reason. Every step is a
`PublicationTransition` row (who, when, from, to, note). A submission whose DOI or
normalised title matches another work is flagged in the queue. The submitter hears of
each decision through notifications, in their language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from core.clock import now
from library.models import (
    Programme,
    Publication,
    PublicationAuthor,
    PublicationCountry,
    PublicationRegion,
    PublicationTransition,
    Theme,
    Work,
    normalise_doi,
    normalise_title,
    theme_ancestor_paths,
)
from library.services.publications_files import publication_file_attach, publication_file_check
from members.models import Member, Organization, Role
from notifications.services import notify
from webinars.regions import REGIONS

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ISBN = re.compile(r"^(97[89])?\d{9}[\dX]$")
Action = PublicationTransition.Action
Status = Publication.Status


@dataclass
class PublicationData:
    """A publication's metadata as a form or an import gives it."""

    title: str
    kind: str
    language: str = "en"
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    organization_ids: list[int] = field(default_factory=list)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    theme_ids: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    doi: str = ""
    isbn: str = ""
    url: str = ""
    licence: str = Publication.Licence.UNKNOWN
    # The programmes it is about; None leaves them as they are (imports that carry none).
    programme_ids: list[int] | None = None


def can_review(member) -> bool:
    return bool(member and member.is_authenticated and member.is_platform_staff)


def can_edit(member, publication: Publication) -> bool:
    """Reviewers correct a publication's metadata at any stage; its submitter changes it
    while it is under review (submitted, or sent back for changes)."""
    if can_review(member):
        return True
    return bool(
        member
        and member.is_authenticated
        and publication.submitter_id == member.pk
        and publication.status in (Status.SUBMITTED, Status.CHANGES_REQUESTED)
    )


def publication_data_clean(data: PublicationData) -> PublicationData:
    """Validate and normalise; a ValidationError names each field that is wrong."""
    errors: dict[str, str] = {}
    data.title = " ".join((data.title or "").split())[:500]
    if not data.title:
        errors["title"] = _("A publication needs a title.")
    if data.kind not in Publication.Kind.values:
        errors["kind"] = _("Choose the type of publication.")
    if data.language not in Publication.Language.values:
        errors["language"] = _("Choose the language this version is written in.")
    if data.licence not in Publication.Licence.values:
        errors["licence"] = _("Choose a licence from the list.")
    this_year = now().year
    if data.year is not None and not 1800 <= data.year <= this_year + 1:
        errors["year"] = _("Give a year between 1800 and %(year)s.") % {"year": this_year + 1}
    if data.month is not None and data.year is None:
        errors["month"] = _("A month needs a year.")
    if data.day is not None and data.month is None:
        errors["day"] = _("A day needs a month.")
    if data.year and data.month:
        try:
            date(data.year, data.month, data.day or 1)
        except ValueError:
            errors["day"] = _("That date does not exist.")
    data.doi = normalise_doi(data.doi)
    if data.doi and not DOI.match(data.doi):
        errors["doi"] = _("A DOI looks like 10.1234/abc-5678.")
    data.isbn = re.sub(r"[\s-]", "", data.isbn or "").upper()
    if data.isbn and not ISBN.match(data.isbn):
        errors["isbn"] = _("An ISBN has 10 or 13 digits.")
    data.countries = sorted({c.strip().upper() for c in data.countries if c.strip()})
    unknown = [c for c in data.countries if c not in dict(countries)]
    if unknown:
        errors["countries"] = _("Unknown country codes: %(codes)s") % {"codes": ", ".join(unknown)}
    data.regions = sorted(set(data.regions))
    if any(r not in REGIONS for r in data.regions):
        errors["regions"] = _("Choose regions from the list.")
    data.authors = [" ".join(a.split())[:200] for a in data.authors if a.strip()][:100]
    data.abstract = (data.abstract or "").strip()[:20000]
    if errors:
        raise ValidationError(errors)
    return data


def themes_with_ancestors(theme_ids: list[int]) -> set[int]:
    """The chosen themes and every theme above them (two queries at most)."""
    chosen = list(Theme.objects.filter(pk__in=theme_ids).values_list("pk", "path"))
    prefixes: set[str] = set()
    for _pk, path in chosen:
        prefixes.update(theme_ancestor_paths(path))
    above = set(Theme.objects.filter(path__in=prefixes).values_list("pk", flat=True))
    return {pk for pk, _path in chosen} | above


def _write(publication: Publication, data: PublicationData) -> None:
    publication.title = data.title
    publication.normalised_title = normalise_title(data.title)
    publication.abstract = data.abstract
    publication.kind = data.kind
    publication.language = data.language
    publication.year, publication.month, publication.day = data.year, data.month, data.day
    publication.doi = data.doi
    publication.isbn = data.isbn
    publication.url = data.url
    publication.licence = data.licence
    publication.updated_at = now()
    publication.save()
    publication.authors.all().delete()
    PublicationAuthor.objects.bulk_create(
        [
            PublicationAuthor(publication=publication, position=i, name=name)
            for i, name in enumerate(data.authors)
        ]
    )
    publication.organizations.set(
        Organization.objects.filter(pk__in=data.organization_ids).values_list("pk", flat=True)
    )
    publication.themes.set(themes_with_ancestors(data.theme_ids))
    if data.programme_ids is not None:
        publication.programmes.set(
            Programme.objects.filter(pk__in=data.programme_ids).values_list("pk", flat=True)
        )
    publication.country_rows.all().delete()
    PublicationCountry.objects.bulk_create(
        [PublicationCountry(publication=publication, country=c) for c in data.countries]
    )
    publication.region_rows.all().delete()
    PublicationRegion.objects.bulk_create(
        [
            PublicationRegion(publication=publication, region=r)
            for r in regions_with_countries(data.regions, data.countries)
        ]
    )


def regions_with_countries(regions: list[str], countries: list[str]) -> list[str]:
    """The regions chosen and those of the countries chosen, as a publication stores them."""
    found = set(regions)
    for key, (_label, codes) in REGIONS.items():
        if set(codes.split()) & set(countries):
            found.add(key)
    return sorted(found)


def likely_duplicate(
    *, doi: str, title: str, exclude_work_id: int | None = None
) -> Publication | None:
    """Another work with the same DOI, or failing that the same normalised title."""
    others = Publication.objects.exclude(status=Status.REJECTED)
    if exclude_work_id:
        others = others.exclude(work_id=exclude_work_id)
    doi = normalise_doi(doi)
    if doi:
        found = others.filter(doi=doi).order_by("pk").first()
        if found:
            return found
    normalised = normalise_title(title)
    if normalised:
        return others.filter(normalised_title=normalised).order_by("pk").first()
    return None


def _log(publication: Publication, *, actor, action: str, before: str, note: str = "") -> None:
    PublicationTransition.objects.create(
        publication=publication,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=before,
        to_status=publication.status,
        note=note,
        at=now(),
    )


def _tell(
    recipient, kind: str, title: Callable[[], str], *, url: str, body: str = "", actor=None
) -> None:
    """`title` is called with the recipient's language active."""
    if recipient is None or not recipient.is_active:
        return
    with translation.override(recipient.language):
        text = str(title())
    notify(recipient=recipient, kind=kind, title=text, body=body, url=url, actor=actor)


def _tell_reviewers(publication: Publication, *, actor) -> None:
    url = reverse("library:review", args=[publication.pk])
    reviewers = Member.objects.filter(is_active=True, role=Role.STAFF)
    if actor is not None and actor.pk:
        reviewers = reviewers.exclude(pk=actor.pk)
    for reviewer in reviewers[:50]:
        with translation.override(reviewer.language):
            title = _("New publication to review: %(title)s") % {"title": publication.title}
        notify(recipient=reviewer, kind="library.submitted", title=title, url=url, actor=actor)


def publication_submit(
    *,
    submitter: Member,
    data: PublicationData,
    upload: UploadedFile | None = None,
    translation_of: Publication | None = None,
) -> Publication:
    """A member offers a publication (or another language version of one) for review."""
    if not submitter.is_authenticated or not submitter.is_active:
        raise PermissionDenied
    data = publication_data_clean(data)
    checked = publication_file_check(upload) if upload is not None else None
    if translation_of is not None:
        if not translation_of.is_published and translation_of.submitter_id != submitter.pk:
            raise PermissionDenied
        if Publication.objects.filter(
            work_id=translation_of.work_id, language=data.language
        ).exists():
            raise ValidationError(
                {"language": _("This work already has a version in that language.")}
            )
    with transaction.atomic():
        work = translation_of.work if translation_of is not None else Work.objects.create()
        publication = Publication(
            work=work, submitter=submitter, status=Status.SUBMITTED, created_at=now()
        )
        _write(publication, data)
        publication.possible_duplicate = likely_duplicate(
            doi=data.doi, title=data.title, exclude_work_id=work.pk
        )
        publication.save(update_fields=["possible_duplicate"])
        if checked is not None:
            publication_file_attach(publication=publication, checked=checked)
        _log(publication, actor=submitter, action=Action.SUBMIT, before="")
        _tell_reviewers(publication, actor=submitter)
    return publication


def publication_update(
    *,
    actor: Member,
    publication: Publication,
    data: PublicationData,
    upload: UploadedFile | None = None,
) -> Publication:
    """The submitter changes their submission (it goes back to the queue), or a reviewer
    corrects metadata at any stage."""
    if not can_edit(actor, publication):
        raise PermissionDenied
    reviewer = can_review(actor)
    data = publication_data_clean(data)
    if (
        Publication.objects.filter(work_id=publication.work_id, language=data.language)
        .exclude(pk=publication.pk)
        .exists()
    ):
        raise ValidationError({"language": _("This work already has a version in that language.")})
    checked = publication_file_check(upload) if upload is not None else None
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if not can_edit(actor, publication):
            raise PermissionDenied  # a reviewer's decision came first (published, rejected)
        before = publication.status
        _write(publication, data)
        publication.possible_duplicate = likely_duplicate(
            doi=data.doi, title=data.title, exclude_work_id=publication.work_id
        )
        if not reviewer and before == Status.CHANGES_REQUESTED:
            publication.status = Status.SUBMITTED
        publication.save(update_fields=["possible_duplicate", "status"])
        if checked is not None:
            publication_file_attach(publication=publication, checked=checked)
        if publication.status != before:
            _log(publication, actor=actor, action=Action.RESUBMIT, before=before)
            _tell_reviewers(publication, actor=actor)
        if publication.is_published:
            _reindex_after_commit(publication.pk)
    return publication


def _reindex_after_commit(pk: int) -> None:
    from library.search.service import search_index

    transaction.on_commit(lambda: search_index([pk]))


def _locked_for_review(reviewer, publication: Publication) -> Publication:
    if not can_review(reviewer):
        raise PermissionDenied
    return Publication.objects.select_for_update().get(pk=publication.pk)


def publication_checklist_set(
    *, reviewer: Member, publication: Publication, metadata: bool, taxonomy: bool, licence: bool
) -> Publication:
    with transaction.atomic():
        locked = _locked_for_review(reviewer, publication)
        locked.check_metadata, locked.check_taxonomy, locked.check_licence = (
            metadata,
            taxonomy,
            licence,
        )
        locked.save(update_fields=["check_metadata", "check_taxonomy", "check_licence"])
        ticked = [
            name
            for name, value in (
                ("metadata", metadata),
                ("taxonomy", taxonomy),
                ("licence", licence),
            )
            if value
        ]
        _log(
            locked,
            actor=reviewer,
            action=Action.CHECKLIST,
            before=locked.status,
            note=", ".join(ticked),
        )
    return locked


def _note(text: str, missing: str) -> str:
    """A review note as kept (trimmed, at most 5,000 characters); `missing` when empty."""
    note = (text or "").strip()[:5000]
    if not note:
        raise ValidationError({"note": missing})
    return note


def _decide(
    locked: Publication,
    *,
    reviewer: Member,
    status: str,
    action: str,
    told: Callable[[], str],
    url: str,
    note: str = "",
) -> None:
    """A reviewer's decision on a locked publication: its new status, the log entry, and
    its submitter told (`told` is called in their language, `url` is where it sends them)."""
    before = locked.status
    locked.status = status
    locked.updated_at = now()
    fields = ["status", "updated_at"]
    if status == Status.PUBLISHED:
        locked.published_at = locked.published_at or locked.updated_at
        fields.append("published_at")
    locked.save(update_fields=fields)
    _log(locked, actor=reviewer, action=action, before=before, note=note)
    _tell(locked.submitter, "library.review", told, url=url, body=note, actor=reviewer)


def publication_comment(*, actor: Member, publication: Publication, note: str) -> None:
    """A reviewer's (or the submitter's) remark in the review log."""
    note = _note(note, _("Write a comment first."))
    if not (can_review(actor) or publication.submitter_id == actor.pk):
        raise PermissionDenied
    with transaction.atomic():
        _log(publication, actor=actor, action=Action.COMMENT, before=publication.status, note=note)
        if can_review(actor) and publication.submitter_id != actor.pk:
            _tell(
                publication.submitter,
                "library.review",
                lambda: _("A reviewer commented on %(title)s") % {"title": publication.title},
                url=reverse("library:review", args=[publication.pk]),
                body=note,
                actor=actor,
            )


def publication_request_changes(
    *, reviewer: Member, publication: Publication, note: str
) -> Publication:
    note = _note(note, _("Say what should change."))
    with transaction.atomic():
        locked = _locked_for_review(reviewer, publication)
        if locked.status not in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
            raise ValidationError(_("Only a publication under review can be sent back."))
        _decide(
            locked,
            reviewer=reviewer,
            status=Status.CHANGES_REQUESTED,
            action=Action.REQUEST_CHANGES,
            told=lambda: _("Changes requested on %(title)s") % {"title": locked.title},
            url=reverse("library:edit", args=[locked.pk]),
            note=note,
        )
    return locked


def publication_publish(*, reviewer: Member, publication: Publication) -> Publication:
    with transaction.atomic():
        locked = _locked_for_review(reviewer, publication)
        if locked.status == Status.PUBLISHED:
            return locked
        if not locked.checklist_complete:
            raise ValidationError(
                _("Work through the checklist first: every item must hold to publish.")
            )
        _decide(
            locked,
            reviewer=reviewer,
            status=Status.PUBLISHED,
            action=Action.PUBLISH,
            told=lambda: _("Published in the library: %(title)s") % {"title": locked.title},
            url=reverse("library:detail", args=[locked.pk]),
        )
        _reindex_after_commit(locked.pk)
    return locked


def publication_reject(*, reviewer: Member, publication: Publication, reason: str) -> Publication:
    reason = _note(reason, _("Give the reason for rejecting it."))
    with transaction.atomic():
        locked = _locked_for_review(reviewer, publication)
        _decide(
            locked,
            reviewer=reviewer,
            status=Status.REJECTED,
            action=Action.REJECT,
            told=lambda: _("Not accepted for the library: %(title)s") % {"title": locked.title},
            url=reverse("library:review", args=[locked.pk]),
            note=reason,
        )
        _reindex_after_commit(locked.pk)
    return locked

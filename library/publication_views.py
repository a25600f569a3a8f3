"""Publication pages: the library home and search, a publication's page, download, cite,
submitting and editing, and the reviewers' queue. Thin: parse, call a service or a
selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from core.uploads import SizeCapUploadHandler, body_too_large, upload_refused
from core.usage import usage_record
from library import citations
from library.models import Publication
from library.publication_forms import (
    ChecklistForm,
    NoteForm,
    PublicationForm,
)
from library.search.service import (
    FACET_LABELS,
    FACETS,
    SEARCH_CSV_HEADER,
    clean_filters,
    publication_search,
    search_rows,
)
from library.selectors import publications as selectors
from library.selectors.glossary import glossary_terms_for_themes
from library.services import publications as services
from library.services.publications_downloads import download_record
from library.services.publications_files import max_bytes


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def library_home(request):
    """/library/?q=…&type=…&country=…: the search page, and the library's home without a
    query (most downloaded, new this month)."""
    query = request.GET.get("q", "")
    filters = clean_filters({name: request.GET.getlist(name) for name in FACETS})
    results = publication_search(query=query, filters=filters, page=_page_number(request))
    if query:
        usage_record(kind="search", request=request, query=results.query, results=results.total)
    params = [(k, v) for k, values in filters.items() for v in values]
    if results.query:
        params.insert(0, ("q", results.query))

    def toggled(name: str, value: str) -> str:
        pairs = [(k, v) for k, v in params if not (k == name and v == value)]
        if (name, value) not in params:
            pairs.append((name, value))
        return "?" + urlencode(pairs)

    facets = [
        {
            "name": name,
            "label": FACET_LABELS[name],
            "values": [
                {"value": v, "url": toggled(name, v.value)} for v in results.facets.get(name, [])
            ],
        }
        for name in FACETS
    ]
    browsing = not results.query and not filters
    context = {
        "results": results,
        "facets": facets,
        "filters": filters,
        "query_string": urlencode(params),
        "page_base": "?" + urlencode(params) + ("&" if params else ""),
        "suggestion_url": "?" + urlencode([("q", results.suggestion or ""), *params[1:]]),
        "original_url": "?" + urlencode([("q", results.query), ("exact", "1")]),
        "browsing": browsing,
        "most_downloaded": selectors.most_downloaded() if browsing else [],
        "new_this_month": selectors.new_this_month() if browsing else [],
        "can_export": services.can_review(request.user),
        "glossary_terms": glossary_terms_for_themes(slugs=filters["theme"])
        if "theme" in filters
        else [],
    }
    return render(request, "library/publications/home.html", context)


def search_export(request):
    """The search results as CSV, for staff."""
    if not services.can_review(request.user):
        raise PermissionDenied
    filters = clean_filters({name: request.GET.getlist(name) for name in FACETS})
    rows = search_rows(query=request.GET.get("q", ""), filters=filters)
    return csv_response("library-search.csv", SEARCH_CSV_HEADER, rows)


def publication_detail(request, pk: int):
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    figures = selectors.download_figures(publication=publication, viewer=request.user)
    context = {
        "publication": publication,
        "figures": figures,
        "downloads": figures.total if figures else None,
        "plain_citation": citations.plain(publication),
        "versions": [
            v for v in getattr(publication.work, "published_versions", []) if v.pk != publication.pk
        ],
        "leaf_themes": _leaves(list(publication.themes.all())),
        "can_review": services.can_review(request.user),
    }
    return render(request, "library/publications/detail.html", context)


def _leaves(themes):
    paths = {t.path for t in themes}
    return [t for t in themes if not any(p.startswith(t.path + "/") for p in paths)]


def publication_download(request, pk: int):
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    if not publication.file:
        raise Http404
    try:
        handle = publication.file.open("rb")
    except OSError:
        raise Http404 from None
    if publication.is_published:
        download_record(request=request, publication=publication)
    return FileResponse(handle, as_attachment=True, filename=publication.file_name or None)


def publication_cover(request, pk: int):
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    if not publication.cover:
        raise Http404
    try:
        handle = publication.cover.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def publication_cite(request, pk: int, style: str):
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    if style == "ris":
        response = HttpResponse(
            citations.ris(publication), content_type="application/x-research-info-systems"
        )
        response["Content-Disposition"] = f'attachment; filename="publication-{pk}.ris"'
    elif style == "bib":
        response = HttpResponse(
            citations.bibtex(publication), content_type="application/x-bibtex; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="publication-{pk}.bib"'
    else:
        response = HttpResponse(
            citations.plain(publication), content_type="text/plain; charset=utf-8"
        )
    return response


def _refused(request, template: str, context: dict):
    context["form_error"] = _(
        "The file is too large: files up to %(limit)s MB. Nothing was saved; choose a "
        "smaller file and send the form again."
    ) % {"limit": max_bytes() // (1024 * 1024)}
    return render(request, template, context, status=413)


def _form_page(request, *, publication: Publication | None):
    template = "library/publications/form.html"
    translation_of = None
    if publication is None and request.GET.get("translation_of", "").isdigit():
        translation_of = selectors.publication_for_page(
            pk=int(request.GET["translation_of"]), viewer=request.user
        )
    context = {"publication": publication, "translation_of": translation_of}
    if request.method == "POST":
        if body_too_large(request, limit=max_bytes()):
            context["form"] = PublicationForm()
            return _refused(request, template, context)
        request.upload_handlers.insert(0, SizeCapUploadHandler(request, limit=max_bytes()))
        return _form_post(request, publication=publication, context=context)
    if publication is not None:
        form = PublicationForm(initial=PublicationForm.initial_for(publication))
    else:
        initial = {"licence": Publication.Licence.UNKNOWN}
        if translation_of is not None:
            initial.update(PublicationForm.initial_for(translation_of))
            initial["language"] = ""
        form = PublicationForm(initial=initial)
    context["form"] = form
    return render(request, template, context)


@csrf_protect
def _form_post(request, *, publication, context):
    template = "library/publications/form.html"
    form = PublicationForm(request.POST, request.FILES)
    if upload_refused(request):
        context["form"] = form
        return _refused(request, template, context)
    context["form"] = form
    if form.is_valid():
        upload = form.cleaned_data.get("file") or None
        try:
            if publication is None:
                saved = services.publication_submit(
                    submitter=request.user,
                    data=form.data_object(),
                    upload=upload,
                    translation_of=context["translation_of"],
                )
                messages.success(
                    request, _("Thank you: your publication was sent to the library's reviewers.")
                )
            else:
                saved = services.publication_update(
                    actor=request.user,
                    publication=publication,
                    data=form.data_object(),
                    upload=upload,
                )
                messages.success(request, _("Your changes were saved."))
            return redirect("library:review", saved.pk)
        except ValidationError as error:
            _attach(form, error)
    return render(request, template, context, status=400)


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@csrf_exempt  # the CSRF check runs in _form_post, after the upload handlers are set
@login_required
def publication_submit(request):
    return _form_page(request, publication=None)


@csrf_exempt  # as above
@login_required
def publication_edit(request, pk: int):
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    if not services.can_edit(request.user, publication):
        raise PermissionDenied
    return _form_page(request, publication=publication)


@login_required
def review_queue(request):
    queue = selectors.review_queue(viewer=request.user)
    return render(request, "library/publications/queue.html", {"queue": queue})


@login_required
def my_submissions(request):
    return render(
        request,
        "library/publications/mine.html",
        {"submissions": selectors.submissions_of(request.user)},
    )


@login_required
def review_page(request, pk: int):
    """The review of one publication: its log, the checklist and the decisions (reviewers),
    or where the submitter follows it."""
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    reviewer = services.can_review(request.user)
    if not reviewer and publication.submitter_id != request.user.pk:
        raise PermissionDenied
    checklist = ChecklistForm(
        initial={
            "metadata": publication.check_metadata,
            "taxonomy": publication.check_taxonomy,
            "licence": publication.check_licence,
        }
    )
    context = {
        "publication": publication,
        "log": selectors.review_log(publication),
        "checklist": checklist,
        "note_form": NoteForm(),
        "reviewer": reviewer,
        "can_edit": services.can_edit(request.user, publication),
    }
    return render(request, "library/publications/review.html", context)


@require_POST
@login_required
def review_act(request, pk: int):
    publication = selectors.publication_for_page(pk=pk, viewer=request.user)
    action = request.POST.get("action", "")
    note = NoteForm(request.POST)
    note.is_valid()
    text = note.cleaned_data.get("note", "") if hasattr(note, "cleaned_data") else ""
    try:
        if action == "checklist":
            form = ChecklistForm(request.POST)
            form.is_valid()
            services.publication_checklist_set(
                reviewer=request.user,
                publication=publication,
                metadata=form.cleaned_data.get("metadata", False),
                taxonomy=form.cleaned_data.get("taxonomy", False),
                licence=form.cleaned_data.get("licence", False),
            )
            messages.success(request, _("Checklist saved."))
        elif action == "comment":
            services.publication_comment(actor=request.user, publication=publication, note=text)
            messages.success(request, _("Comment added."))
        elif action == "request_changes":
            services.publication_request_changes(
                reviewer=request.user, publication=publication, note=text
            )
            messages.success(request, _("Changes requested; the submitter was told."))
        elif action == "publish":
            services.publication_publish(reviewer=request.user, publication=publication)
            messages.success(request, _("Published."))
            return redirect("library:detail", publication.pk)
        elif action == "reject":
            services.publication_reject(reviewer=request.user, publication=publication, reason=text)
            messages.success(request, _("Rejected; the submitter was told why."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("library:review", args=[publication.pk]))

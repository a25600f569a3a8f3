"""Glossary pages: A–Z per language with search, a term's page, and staff's CSV import
and export."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.csv_export import csv_response
from core.languages import reader_language
from core.uploads import upload_capped, upload_refused
from library.glossary_forms import GlossaryImportForm
from library.models import GLOSSARY_LANGUAGES, ConceptTerm
from library.selectors import glossary as selectors
from library.services import glossary as services


def glossary(request):
    """A–Z in one language (`?lang=`, the reader's by default, `?letter=`), or the
    results of a search across every language (`?q=`)."""
    language = request.GET.get("lang") or reader_language()
    if language not in GLOSSARY_LANGUAGES:
        language = reader_language()
    query = request.GET.get("q", "").strip()[:200]
    context = {"language": language, "languages": ConceptTerm.Language.choices, "query": query}
    if query:
        context["hits"] = selectors.glossary_search(query=query, language=reader_language())
    else:
        context["a_to_z"] = selectors.glossary_a_to_z(
            language=language, letter=request.GET.get("letter", "")
        )
    return render(request, "library/glossary/index.html", context)


def glossary_term(request, language: str, slug: str):
    page = selectors.glossary_concept_page(language=language, slug=slug)
    return render(request, "library/glossary/term.html", {"page": page, "entry": page.entry})


@staff_member_required
def glossary_export(request):
    return csv_response("glossary.csv", services.GLOSSARY_COLUMNS, services.glossary_export_rows())


def _too_large(request):
    context = {
        "form": GlossaryImportForm(),
        "result": None,
        "form_error": str(services.glossary_file_too_large()),
    }
    return render(request, "library/glossary/import.html", context, status=413)


@staff_member_required
@upload_capped(services.glossary_max_bytes, refused=_too_large)
def glossary_import(request):
    """A file past the size limit is refused by its declared size, or cut off while it
    streams in (as publication uploads are), and never read whole."""
    if upload_refused(request):
        return _too_large(request)
    form = GlossaryImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.glossary_file_size_check(upload.size)
            result = services.glossary_import(actor=request.user, data=upload.read())
        except services.GlossaryFileError as error:
            form.add_error("file", str(error))
        except PermissionDenied:
            raise
        else:
            if not result.errors:
                messages.success(
                    request,
                    _(
                        "Glossary imported: %(created)s new, %(updated)s changed, "
                        "%(unchanged)s unchanged."
                    )
                    % result.as_dict(),
                )
                return redirect("library:glossary_import")
    return render(request, "library/glossary/import.html", {"form": form, "result": result})

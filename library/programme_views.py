"""Programme profiles: browse by country and type, a programme's page, a country's page."""

from django.shortcuts import render

from core.languages import pick
from library.selectors import programmes as selectors


def programmes(request):
    browse = selectors.programmes_browse(
        country=request.GET.get("country", "")[:2], kind=request.GET.get("type", "")[:12]
    )
    return render(request, "library/programmes/list.html", {"browse": browse})


def _texts(programme, field: str):
    return pick({code: getattr(programme, f"{field}_{code}") for code in ("en", "es", "fr")})


def programme(request, slug: str):
    page = selectors.programme_page(slug=slug)
    return render(
        request,
        "library/programmes/detail.html",
        {
            "page": page,
            "programme": page.programme,
            "target_group": _texts(page.programme, "target_group"),
            "summary": _texts(page.programme, "summary"),
        },
    )


def country(request, code: str):
    page = selectors.country_page(code=code)
    return render(request, "library/programmes/country.html", {"page": page})

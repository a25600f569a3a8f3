"""The 500 page: Baraza's layout, in the visitor's language, rendered without the database.

Django's own handler renders 500.html with no context at all; this one adds what the
layout needs that is safe when anything else may be broken (the database, a context
processor): the navigation (resolved URLs), the languages and the CSRF token for the
language switch. No context processor runs, so nothing here reads the user or the
database. If even that fails, a plain page answers.
"""

import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from config.context_processors import navigation_entries

logger = logging.getLogger(__name__)


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    posted = request.method == "POST"
    try:
        context = {
            "request": request,
            "csrf_token": get_token(request),
            "nav_entries": navigation_entries(),
            "LANGUAGES": settings.LANGUAGES,
            "TIMEZONE_COOKIE_NAME": settings.TIMEZONE_COOKIE_NAME,
            "posted": posted,
            "path": request.path if request.method in ("GET", "POST") else "",
        }
        body = loader.get_template(template_name).render(context)
    except Exception:
        logger.exception("The 500 page could not be rendered; answering with a plain one")
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(_('Something went wrong'))} · Baraza</title></head><body>"
            f"<h1>{escape(_('Sorry, something went wrong on our side'))}</h1>"
            f"<p>{escape(_('Nothing was changed. Please try again in a few minutes.'))}</p>"
            f"<p><a href='/'>{escape(_('Go to the home page'))}</a></p></body></html>"
        )
    return HttpResponseServerError(body)


def csrf_failure(request, reason: str = ""):
    """A form refused because its security token was missing or stale: say what to do in
    the layout (Django's own page is a technical one, in English)."""
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE
    from django.shortcuts import render

    return render(
        request,
        "403_csrf.html",
        {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "back": request.path},
        status=403,
    )

from django.http import HttpResponse
from django.template.loader import get_template


def ceiling(request):
    """A constant template: no context processors, no database.

    It crosses the same Daphne, ASGI handler and middleware as every page, so a
    page's ratio to it is what the page itself (view, queries, templates) costs.
    """
    return HttpResponse(get_template("bench/ceiling.html").render())

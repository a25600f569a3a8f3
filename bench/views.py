from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import get_template
from django.views.decorators.http import require_POST

from core.clock import now
from webinars.models import Registration


def ceiling(request):
    """A constant template: no context processors, no database.

    It crosses the same Daphne, ASGI handler and middleware as every page, so a
    page's ratio to it is what the page itself (view, queries, templates) costs.
    """
    return HttpResponse(get_template("bench/ceiling.html").render())


def calendar_ceiling(request, rows: int):
    """The same number of calendar rows as a month view, from a plain list: no query,
    no expansion, no zone conversion. A month view's ratio to it is what finding,
    expanding and placing the events costs (bench/calendar.py)."""
    table = [
        ("2027-03-01T09:00:00+00:00", "09:00", "Course", f"/events/{n}/", f"Event {n}")
        for n in range(min(rows, 50_000))
    ]
    return HttpResponse(get_template("bench/calendar_ceiling.html").render({"rows": table}))


@require_POST
def registration_ceiling(request, webinar_id: int, session_id: int):
    """The registration form's POST, CSRF-checked by the middleware like the real one,
    stored as one INSERT: no form, no lock, no seat count, no task; then a redirect.

    A registration's ratio to it is what registering itself costs (validation, the
    session lock, counting seats, queueing the email) over receiving a form and
    writing one row.
    """
    at = now()
    Registration.objects.create(
        webinar_id=webinar_id,
        session_id=session_id,
        email=request.POST["email"],
        full_name=request.POST["full_name"],
        status=Registration.Status.CONFIRMED,
        created_at=at,
        status_changed_at=at,
    )
    return HttpResponseRedirect("/")


def library_ceiling(request, pk: int):
    """The library search's ceiling: one publication looked up by primary key (an indexed
    lookup) and its title rendered, over the same server and middleware."""
    from django.utils.html import escape

    from library.models import Publication

    title = Publication.objects.filter(pk=pk).values_list("title", flat=True).first() or ""
    return HttpResponse(f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>")

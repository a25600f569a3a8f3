"""Anymail's webhook URLs, answering a wrong or missing basic-auth secret with 401.

Anymail raises `AnymailWebhookValidationFailure` (a SuspiciousOperation, which Django
turns into 400); an ESP — and a person debugging it — should see 401 instead.
"""

from functools import wraps

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.urls import urlpatterns as anymail_urlpatterns
from django.http import HttpResponse
from django.urls import URLPattern


def _answer_401(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure:
            response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Basic realm="Baraza webhooks"'
            return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapped


urlpatterns = [
    URLPattern(p.pattern, _answer_401(p.callback), p.default_args, p.name)
    for p in anymail_urlpatterns
]
app_name = "anymail"

"""The largest request body the web server receives (MAX_REQUEST_BODY, or derived from
the views' upload caps) and the page it answers past it; config/serve.py applies them."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _


def request_body_cap() -> int:
    """MAX_REQUEST_BODY, or (0, the default) the largest upload any view accepts plus a
    multipart form's margin. A new upload with a larger cap of its own belongs here."""
    if settings.MAX_REQUEST_BODY:
        return settings.MAX_REQUEST_BODY
    from core.uploads import BODY_MARGIN
    from library.services.glossary import glossary_max_bytes
    from library.services.publications_files import max_bytes
    from surveys.author_views import IMPORT_MAX_BYTES
    from webinars.attendance.reading import MAX_BYTES as ATTENDANCE_REPORT_MAX_BYTES

    uploads = [
        max_bytes(),
        glossary_max_bytes(),
        settings.EVENTS_FEED_MAX_BYTES,
        settings.COMMUNITY_ATTACHMENT_MAX_BYTES,
        ATTENDANCE_REPORT_MAX_BYTES,
        IMPORT_MAX_BYTES,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0,  # a form's fields without files
    ]
    return max(uploads) + BODY_MARGIN


def refusal_pages(cap: int) -> dict[str, bytes]:
    """The whole 413 answer (status line to body) in each of the site's languages."""
    pages = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            title = _("Too large to send")
            text = _(
                "This is more than the server accepts in one request (%(limit)s), so it "
                "stopped receiving it. Choose a smaller file, or reduce this one (for a "
                "PDF, save it with smaller images), then try again."
            ) % {"limit": filesizeformat(cap)}
        body = (
            f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p>"
        ).encode()
        pages[language] = (
            b"HTTP/1.1 413 Content Too Large\r\n"
            b"Content-Type: text/html; charset=utf-8\r\n"
            b"Content-Language: %s\r\n"
            b"Content-Length: %d\r\n"
            b"Connection: close\r\n\r\n" % (language.encode(), len(body))
        ) + body
    return pages

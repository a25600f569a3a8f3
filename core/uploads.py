"""A size cap on uploads that holds before the body is read: Django's upload handlers
otherwise spool a whole body to memory or disk before a view can look at a file's size.

`upload_capped(limit, refused)` wraps a view that takes a file: a body whose declared
length is past `limit()` is not parsed at all (`refused(request, ...)` answers, before the
CSRF check that would read it), and one that grows past it while streaming (no or a false
Content-Length) is cut off there (`upload_refused(request)` then says so). The view's own
CSRF check runs after the cap is in place.
"""

from collections.abc import Callable
from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# A multipart body carries form fields and boundaries besides the file.
BODY_MARGIN = 256 * 1024


class SizeCapUploadHandler(FileUploadHandler):
    """First in the request's upload handlers: past `limit` (+ the form's margin) nothing
    more is read."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit + BODY_MARGIN
        self.seen = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit:
            _mark_refused(self.request)
            return QueryDict(), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        if self.seen > self.limit:
            _mark_refused(self.request)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _mark_refused(request) -> None:
    request.upload_refused = True


def body_too_large(request: HttpRequest, *, limit: int) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > limit + BODY_MARGIN


def upload_refused(request: HttpRequest) -> bool:
    """Whether the cap cut the body off while it streamed in."""
    return getattr(request, "upload_refused", False)


def upload_capped(limit: Callable[[], int], refused: Callable[..., HttpResponse]):
    def decorate(view):
        protected = csrf_protect(view)

        @csrf_exempt  # the CSRF check runs in `protected`, after the cap is in place
        @wraps(view)
        def capped(request, *args, **kwargs):
            if request.method == "POST":
                cap = limit()
                if body_too_large(request, limit=cap):
                    return refused(request, *args, **kwargs)
                request.upload_handlers.insert(0, SizeCapUploadHandler(request, limit=cap))
            return protected(request, *args, **kwargs)

        return capped

    return decorate

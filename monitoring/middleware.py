"""Page views: one buffered event per HTML page a person (not a bot, not a Do Not Track
browser) was shown. Costs a few dictionary look-ups per request; the writing happens in
batches elsewhere (monitoring.recording)."""

from django.conf import settings

from monitoring import recording
from monitoring.models import UsageKind


class UsageRecordingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.USAGE_RECORDING and self._counts(request, response):
            path = recording.path_pattern(request)
            if path is not None:
                event = recording.event_from_request(request, kind=UsageKind.PAGE_VIEW, path=path)
                if event is not None:
                    recording.buffer_add(event)
        return response

    @staticmethod
    def _counts(request, response) -> bool:
        return (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(recording.EXCLUDED_PREFIXES)
        )

"""Activate the viewer's language and time zone for every request.

A member's saved choice wins; a visitor gets the language cookie / browser
language and the zone their browser reported (the `baraza_tz` cookie).
"""

from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from core.zones import DEFAULT_ZONE, canonical_zone


class MemberLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            language = user.language
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class MemberTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Shown and stored under the canonical name: browsers report some zones by old
        # names (Chrome says Asia/Calcutta and Asia/Katmandu).
        member_zone = user.time_zone if user is not None and user.is_authenticated else None
        cookie_zone = unquote(request.COOKIES.get(settings.TIMEZONE_COOKIE_NAME, ""))
        if zone := canonical_zone(member_zone):
            source = "member"
        elif zone := canonical_zone(cookie_zone):
            source = "browser"
        else:
            zone, source = DEFAULT_ZONE, "default"
        request.timezone_name = zone
        request.timezone_source = source
        timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

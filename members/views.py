import json
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from core.clock import now
from core.zones import zone_catalogue
from members import selectors, services
from members.forms import LanguageSwitchForm, MemberSettingsForm, TimeZoneSwitchForm

ONE_YEAR = 365 * 24 * 3600


@login_required
def profile(request, public_id: str):
    member = selectors.member_profile(public_id=public_id)
    return render(request, "members/profile.html", {"member": member})


@login_required
def me(request):
    return redirect("members:profile", public_id=request.user.public_id)


@login_required
def member_settings(request):
    form = MemberSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.member_update_settings(member=request.user, **form.cleaned_data)
        translation.activate(request.user.language)
        messages.success(request, _("Your settings are saved."))
        response = redirect("members:settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, request.user.language, max_age=ONE_YEAR, samesite="Lax"
        )
        return response
    return render(
        request,
        "members/settings.html",
        {"form": form, "followed": selectors.organizations_followed(member=request.user)},
    )


def _next_url(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _follow_change(request, slug: str, *, follow: bool):
    """Follow or unfollow from a page's button (members/_follow_button.html), then back
    to that page; a visitor logs in first and comes back to the page to press it."""
    organization = selectors.organization_by_slug(slug=slug)
    back = _next_url(request, request.POST.get("next", ""))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if follow:
        services.organization_follow(member=request.user, organization=organization)
        message = _("You follow %(name)s: its events are in your calendar feed.")
    else:
        services.organization_unfollow(member=request.user, organization=organization)
        message = _("You no longer follow %(name)s.")
    messages.success(request, message % {"name": organization.name})
    return redirect(back)


@require_POST
def organization_follow(request, slug: str):
    return _follow_change(request, slug, follow=True)


@require_POST
def organization_unfollow(request, slug: str):
    return _follow_change(request, slug, follow=False)


@require_POST
def set_language(request):
    form = LanguageSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("language", [_("Invalid request.")])))
        return redirect(_next_url(request, request.POST.get("next", "")))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.member_set_language(member=request.user, language=language)
    response = redirect(_next_url(request, form.cleaned_data["next"]))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=ONE_YEAR, samesite="Lax")
    return response


@require_POST
def set_timezone(request):
    form = TimeZoneSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("time_zone", [_("Invalid request.")])))
        return redirect(_next_url(request, request.POST.get("next", "")))
    zone = form.cleaned_data["time_zone"]
    if request.user.is_authenticated:
        services.member_set_time_zone(member=request.user, time_zone=zone)
    response = redirect(_next_url(request, form.cleaned_data["next"]))
    response.set_cookie(settings.TIMEZONE_COOKIE_NAME, zone, max_age=ONE_YEAR, samesite="Lax")
    return response


def choose_timezone(request):
    """A page to pick a zone (for visitors, and as the no-JavaScript path)."""
    form = TimeZoneSwitchForm(
        initial={"time_zone": request.timezone_name, "next": request.GET.get("next", "")}
    )
    return render(request, "members/timezone.html", {"form": form})


@lru_cache(maxsize=8)
def _zone_catalogue_json(language: str, hour: str) -> bytes:
    return json.dumps(zone_catalogue(now()), ensure_ascii=False, separators=(",", ":")).encode()


@require_GET
@gzip_page
def zone_list(request):
    """Every zone with its offset this hour, for the zone search (static/js/zonepicker.js)
    and the first visit's times (static/js/timezone.js): one cached, compressed file a
    browser fetches once, instead of 420 `<option>`s on every page."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        body = _zone_catalogue_json(language, now().strftime("%Y%m%d%H"))
    response = HttpResponse(body, content_type="application/json")
    patch_cache_control(response, public=True, max_age=3600)
    return response

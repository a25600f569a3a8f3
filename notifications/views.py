from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.categories import CATEGORIES, Channel
from notifications.delivery import outbound_email_retry
from notifications.forms import PreferencesForm
from notifications.preferences import (
    channels_for_members,
    delivery_settings,
    preferences_save,
    unsubscribe,
)
from notifications.unsubscribe import read_unsubscribe_token


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_of(member=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request, notification_id: int | None = None):
    services.notification_mark_read(member=request.user, notification_id=notification_id)
    if notification_id is not None and "open" in request.POST:
        target = selectors.notification_of(member=request.user, notification_id=notification_id)
        # Our own pages only: "//host", "/\host", "https://host" and "javascript:" go nowhere.
        if target is not None and url_has_allowed_host_and_scheme(
            target.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target.url)
    return redirect("notifications:list")


@login_required
def preferences(request):
    settings_row = delivery_settings(request.user)
    channels = channels_for_members([request.user.pk])[request.user.pk]
    form = PreferencesForm(
        request.POST or None,
        channels=channels,
        initial={
            "paused": settings_row.paused,
            "digest_hour": settings_row.digest_hour,
            "weekly_day": settings_row.weekly_day,
        },
    )
    if request.method == "POST" and form.is_valid():
        preferences_save(
            member=request.user,
            channels=form.channels(),
            paused=form.cleaned_data["paused"],
            digest_hour=form.cleaned_data["digest_hour"],
            weekly_day=form.cleaned_data["weekly_day"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form, "channel_labels": Channel.CHOICES}
    )


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie and no token but the URL's
def unsubscribe_view(request, token: str):
    parsed = read_unsubscribe_token(token)
    if parsed is None:
        raise Http404
    email, category = parsed
    if category not in CATEGORIES:
        raise Http404
    if request.method == "POST":
        unsubscribe(email=email, category=category)
        if "one-click" in request.POST.get("List-Unsubscribe", "").lower() or not request.POST.get(
            "confirm"
        ):
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(
            request,
            "notifications/unsubscribed.html",
            {"email": email, "category": CATEGORIES[category]},
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"email": email, "category": CATEGORIES[category], "token": token},
    )


def _staff(request) -> None:
    if not request.user.is_authenticated or not request.user.is_platform_staff:
        raise PermissionDenied


def _posted_id(request, name: str) -> int | None:
    """The row a staff button names (`lift=42`); None when it is missing or not a number."""
    try:
        return forms.IntegerField(min_value=1).clean(request.POST.get(name))
    except ValidationError:
        return None


@login_required
def suppression_list(request):
    _staff(request)
    status = 200
    if request.method == "POST":
        row_id = _posted_id(request, "lift")
        row = None
        if row_id is not None:
            row = services.suppression_lift(suppression_id=row_id, actor=request.user)
        if row is not None:
            messages.success(
                request, _("%(email)s can receive email again.") % {"email": row.email}
            )
            return redirect("notifications:suppressions")
        messages.error(request, _("Choose an address on this list to lift."))
        status = 400
    rows = selectors.suppressions_active(search=request.GET.get("q", ""))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/suppressions.html", {"page": page}, status=status)


@login_required
def failed_emails(request):
    _staff(request)
    status = 200
    if request.method == "POST":
        email_id = _posted_id(request, "retry")
        if email_id is not None and outbound_email_retry(email_id=email_id):
            messages.success(request, _("Queued again."))
            return redirect("notifications:failed")
        messages.error(request, _("Choose a failed email on this list to retry."))
        status = 400
    page = Paginator(selectors.outbound_emails_failed(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page}, status=status)

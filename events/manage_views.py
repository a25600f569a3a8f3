"""Submitting events, editing them and the review queue (staff and organization admins)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.uploads import upload_capped, upload_refused
from events import selectors
from events.forms import EventForm, RejectForm, SubscriptionForm, UploadForm, event_initial
from events.models import Event
from events.services import submissions


def _save(request, form: EventForm, save):
    """Run `save(draft)` when the organizer pressed save and the form is valid; a
    "Find city" press only re-shows the form with the cities found."""
    if request.POST.get("action") != "save" or not form.is_valid():
        return None
    try:
        return save(form.draft())
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def submit(request):
    if not submissions.can_submit_events(request.user):
        raise PermissionDenied(_("Only members of partner organizations can submit events."))
    form = EventForm(request.POST or None)
    if request.method == "POST":
        event = _save(
            request, form, lambda draft: submissions.event_submit(actor=request.user, draft=draft)
        )
        if event is not None:
            if event.review == Event.Review.APPROVED:
                messages.success(request, _("The event is on the calendar."))
            else:
                messages.success(request, _("Thank you: the event will appear once reviewed."))
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def edit(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("venue"), pk=pk)
    if not (
        submissions.can_manage_organization_events(request.user, event.owner_id)
        or (event.submitted_by_id == request.user.pk and event.review == Event.Review.PENDING)
    ):
        raise PermissionDenied(_("You cannot edit this event."))
    form = EventForm(request.POST or None, initial=event_initial(event))
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda draft: submissions.event_update(actor=request.user, event=event, draft=draft),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("events:detail", saved.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def review_queue(request):
    queue = selectors.review_queue(actor=request.user)
    if not queue and not (request.user.is_platform_staff or request.user.is_partner_admin):
        raise PermissionDenied(_("Only staff and organization admins review events."))
    return render(
        request, "events/review_queue.html", {"queue": queue, "reject_form": RejectForm()}
    )


@login_required
@require_POST
def approve(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    submissions.event_approve(actor=request.user, event=event)
    messages.success(request, _("Approved: it is on the calendar."))
    return redirect("events:review_queue")


@login_required
@require_POST
def reject(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            submissions.event_reject(
                actor=request.user, event=event, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rejected; the submitter has been told why."))
    else:
        messages.error(request, _("Say why, so the submitter can fix it."))
    return redirect("events:review_queue")


def _managed_organization(request, *, read_body: bool = True):
    """The organization whose calendar feeds the member manages (staff: ?organization=).
    `read_body` False: a refused upload's body is never parsed for the form's field."""
    from members.models import Organization

    slug = request.GET.get("organization") or (
        request.POST.get("organization", "") if read_body else ""
    )
    if request.user.is_platform_staff and slug:
        organization = get_object_or_404(Organization, slug=slug)
    else:
        organization = request.user.organization
    if organization is None or not submissions.can_manage_organization_events(
        request.user, organization.pk
    ):
        raise PermissionDenied(_("Only the organization's admins or staff manage its calendars."))
    return organization


def _file_too_large() -> str:
    return _("The file is too large: calendars up to %(size)s.") % {
        "size": filesizeformat(settings.EVENTS_FEED_MAX_BYTES)
    }


def _calendars_too_large(request):
    organization = _managed_organization(request, read_body=False)
    return _calendars_page(
        request, organization, upload_form=UploadForm(), upload_error=_file_too_large(), status=413
    )


@login_required
@upload_capped(lambda: settings.EVENTS_FEED_MAX_BYTES, refused=_calendars_too_large)
def calendars(request):
    """An organization's feed subscriptions (with their last error) and a one-off upload,
    its size capped before the body is read."""
    from events.services.imports import CalendarUnreadable, calendar_import
    from events.services.subscriptions import (
        subscription_create,
        subscription_review_first_set,
    )

    organization = _managed_organization(request)  # reads the body: the cap applies
    if upload_refused(request):  # cut off while it streamed in
        return _calendars_too_large(request)
    feed_form = SubscriptionForm(request.POST if request.POST.get("action") == "feed" else None)
    upload_form = UploadForm(
        request.POST if request.POST.get("action") == "upload" else None,
        request.FILES if request.POST.get("action") == "upload" else None,
    )
    result = None
    if request.method == "POST" and feed_form.is_bound and feed_form.is_valid():
        try:
            subscription_create(
                actor=request.user,
                organization=organization,
                url=feed_form.cleaned_data["url"],
                default_zone=feed_form.cleaned_data["default_zone"],
            )
        except ValidationError as error:
            feed_form.add_error(None, error)
        else:
            messages.success(request, _("Feed added: it is fetched now, then regularly."))
            return redirect(request.get_full_path())
    if request.method == "POST" and request.POST.get("action") == "review":
        subscription_id = request.POST.get("subscription", "")
        try:
            subscription = subscription_review_first_set(
                actor=request.user,
                organization=organization,
                subscription_id=int(subscription_id) if subscription_id.isdigit() else 0,
                review_first=request.POST.get("review_first") == "1",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Events from this feed now wait for review.")
                if subscription.review_first
                else _("Events from this feed now go on the calendar at once."),
            )
        return redirect(request.get_full_path())
    if request.method == "POST" and upload_form.is_bound and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        if upload.size > settings.EVENTS_FEED_MAX_BYTES:
            upload_form.add_error("file", _file_too_large())
        else:
            try:
                result = calendar_import(
                    organization=organization,
                    data=upload.read(),
                    default_zone=upload_form.cleaned_data["default_zone"],
                    submitted_by=request.user,
                )
            except CalendarUnreadable as error:
                upload_form.add_error(
                    "file", _("This file cannot be imported: %(reason)s") % {"reason": error}
                )
    return _calendars_page(
        request, organization, feed_form=feed_form, upload_form=upload_form, result=result
    )


def _calendars_page(
    request,
    organization,
    *,
    upload_form,
    feed_form=None,
    result=None,
    upload_error: str = "",
    status: int = 200,
):
    from events.models import CalendarSubscription

    return render(
        request,
        "events/calendars.html",
        {
            "organization": organization,
            "subscriptions": CalendarSubscription.objects.filter(organization=organization),
            "feed_form": feed_form or SubscriptionForm(),
            "upload_form": upload_form,
            "result": result,
            "upload_error": upload_error,
        },
        status=status,
    )

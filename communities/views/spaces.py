"""The directory, a community's page, joining and leaving, members, settings, invitations."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import permissions
from communities.forms import (
    CommunityCreateForm,
    CommunityForm,
    DisciplineForm,
    InviteForm,
    JoinRequestForm,
    SlowModeForm,
    ThreadForm,
    WatchedWordForm,
)
from communities.models import ChatRoom, Invitation, WatchedWord
from communities.selectors import spaces as selectors
from communities.services import discipline, membership, spaces
from communities.views.common import back, done, failed, wants_json
from core.clock import now


def community_list(request):
    listed = selectors.communities_listed(viewer=request.user)
    return render(
        request,
        "communities/list.html",
        {
            **listed,
            "can_create": permissions.can_create_community(request.user),
        },
    )


@login_required
def community_create(request):
    if not permissions.can_create_community(request.user):
        raise PermissionDenied
    form = CommunityCreateForm(request.POST or None, actor=request.user)
    if not request.user.is_platform_staff:
        form.fields["organization"].queryset = form.fields["organization"].queryset.filter(
            pk=request.user.organization_id
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            community = spaces.community_create(
                creator=request.user,
                organization=data.pop("organization"),
                slug=data.pop("slug"),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your community is ready. Invite its first members."))
            return redirect("communities:detail", slug=community.slug)
    return render(request, "communities/form.html", {"form": form, "creating": True})


def community_detail(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user, details=True)
    context = selectors.community_page(
        seat=seat, viewer=request.user, page_number=request.GET.get("page")
    )
    return render(
        request,
        "communities/detail.html",
        {
            "seat": seat,
            "community": seat.community,
            "join_form": JoinRequestForm(),
            "thread_form": ThreadForm() if seat.can_post else None,
            **context,
        },
    )


@require_POST
@login_required
def community_join(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    community = seat.community
    url = reverse("communities:detail", args=[slug])
    try:
        if community.join_policy == community.JoinPolicy.REQUEST:
            form = JoinRequestForm(request.POST)
            message = form.cleaned_data["message"] if form.is_valid() else ""
            membership.join_request_create(
                community=community, member=request.user, message=message
            )
            return done(request, url, _("Your request is with the moderators."))
        membership.community_join(community=community, member=request.user)
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Welcome! You are now a member."))


@require_POST
@login_required
def community_leave(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    url = reverse("communities:detail", args=[slug])
    try:
        membership.community_leave(community=seat.community, member=request.user)
    except ValidationError as error:
        return failed(request, url, error)
    if seat.can_read and seat.community.is_public:
        return done(request, url, _("You have left the community."))
    messages.success(request, _("You have left the community."))
    return redirect("communities:list")


@require_POST
@login_required
def community_mute(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    muted = request.POST.get("muted") == "1"
    url = reverse("communities:detail", args=[slug])
    try:
        membership.community_mute_notifications(
            community=seat.community, member=request.user, muted=muted
        )
    except ValidationError as error:
        return failed(request, url, error)
    text = (
        _("Muted: no notifications or digest items from this community.")
        if muted
        else _("Unmuted: you will hear about this community again.")
    )
    return done(request, url, text, {"muted": muted})


@login_required
def community_members(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    permissions.require_read(request.user, seat.community, seat.membership)
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.members_page(
        community=seat.community, page_number=request.GET.get("page"), query=query
    )
    context = {
        "seat": seat,
        "community": seat.community,
        "page": page,
        "query": query,
        "extra": urlencode({"q": query}) if query else "",
        "now": now(),
    }
    if seat.can_moderate:
        context.update(
            {
                "invite_form": InviteForm(),
                "bans": selectors.bans_standing(community=seat.community),
                "durations": DisciplineForm.base_fields["hours"].choices,
            }
        )
    return render(request, "communities/members.html", context)


@require_POST
@login_required
def member_act(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    community = seat.community
    url = reverse("communities:members", args=[slug])
    permissions.require_moderator(request.user, community, seat.membership)
    form = DisciplineForm(request.POST)
    if not form.is_valid():
        return failed(request, url, ValidationError(_("Choose a member and an action.")))
    action, member_id = form.cleaned_data["action"], form.cleaned_data["member"]
    reason = form.cleaned_data["reason"].strip()
    hours = form.cleaned_data["hours"]
    duration = timedelta(hours=int(hours)) if hours else None
    actor = request.user
    try:
        if action == "warn":
            discipline.member_warn(
                community=community, member_id=member_id, actor=actor, reason=reason
            )
        elif action == "mute":
            discipline.member_mute(
                community=community,
                member_id=member_id,
                actor=actor,
                reason=reason,
                duration=duration or timedelta(days=3650),
            )
        elif action == "unmute":
            discipline.member_unmute(community=community, member_id=member_id, actor=actor)
        elif action == "ban":
            discipline.member_ban(
                community=community,
                member_id=member_id,
                actor=actor,
                reason=reason,
                duration=duration,
            )
        elif action == "remove":
            discipline.member_remove(
                community=community, member_id=member_id, actor=actor, reason=reason
            )
        else:
            membership.member_set_role(
                community=community,
                member_id=member_id,
                role=DisciplineForm.ROLE_ACTIONS[action],
                actor=actor,
            )
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Done."))


@require_POST
@login_required
def member_unban(request, slug: str, member_id: int):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    discipline.member_unban(community=seat.community, member_id=member_id, actor=request.user)
    return done(request, reverse("communities:members", args=[slug]), _("The ban is lifted."))


@require_POST
@login_required
def community_invite(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    permissions.require_moderator(request.user, seat.community, seat.membership)
    url = reverse("communities:members", args=[slug])
    form = InviteForm(request.POST)
    if not form.is_valid():
        return failed(request, url, ValidationError(form.errors["emails"]))
    emails = form.cleaned_data["emails"]
    sent = 0
    try:
        for email in emails:
            membership.invitation_create(
                community=seat.community,
                email=email,
                actor=request.user,
                message=form.cleaned_data["message"],
            )
            sent += 1
    except ValidationError as error:
        count = _("Invitations sent: %(n)s of %(total)s.") % {"n": sent, "total": len(emails)}
        return failed(request, url, ValidationError([count, *error.messages]))
    return done(request, url, _("Invitations sent: %(n)s.") % {"n": sent})


def invitation(request, token: str):
    found = get_object_or_404(
        Invitation.objects.select_related("community", "invited_by"), token=token
    )
    usable = found.accepted_at is None and found.expires_at > now()
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership.invitation_accept(token=token, member=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(request, _("Welcome! You are now a member."))
        return redirect("communities:detail", slug=found.community.slug)
    return render(
        request,
        "communities/invitation.html",
        {"invitation": found, "community": found.community, "usable": usable},
    )


@login_required
def community_settings(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    community = seat.community
    permissions.require_moderator(request.user, community, seat.membership)
    form = (
        CommunityForm(request.POST or None, instance=community, actor=request.user)
        if seat.can_manage
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            spaces.community_update(community=community, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("communities:settings", slug=slug)
    return _settings_page(request, seat, form=form)


def _settings_page(request, seat, *, form, word_form=None, status: int = 200):
    community = seat.community
    room = community.chat_room if hasattr(community, "chat_room") else None
    return render(
        request,
        "communities/settings.html",
        {
            "seat": seat,
            "community": community,
            "form": form,
            "slow_form": SlowModeForm(instance=room) if room else None,
            "word_form": word_form or WatchedWordForm(),
            "words": list(WatchedWord.objects.filter(community=community)),
        },
        status=status,
    )


@require_POST
@login_required
def slow_mode(request, slug: str):
    from communities.services.chat import room_set_slow_mode

    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    url = reverse("communities:settings", args=[slug])
    form = SlowModeForm(request.POST, instance=ChatRoom())
    if not form.is_valid():
        return failed(request, url, ValidationError(_("Enter a number of seconds.")))
    try:
        room_set_slow_mode(
            community=seat.community,
            actor=request.user,
            seconds=form.cleaned_data["slow_mode_seconds"],
        )
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Slow mode saved."))


@require_POST
@login_required
def watched_word_add(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    permissions.require_moderator(request.user, seat.community, seat.membership)
    url = reverse("communities:settings", args=[slug])
    form = WatchedWordForm(request.POST)
    if form.is_valid():
        try:
            spaces.watched_word_add(
                community=seat.community, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return done(request, url, _("Watched word saved."))
    if wants_json(request):
        return failed(request, url, ValidationError([e for es in form.errors.values() for e in es]))
    settings_form = (
        CommunityForm(instance=seat.community, actor=request.user) if seat.can_manage else None
    )
    return _settings_page(request, seat, form=settings_form, word_form=form, status=400)


@require_POST
@login_required
def watched_word_remove(request, slug: str, word_id: int):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    spaces.watched_word_remove(community=seat.community, actor=request.user, word_id=word_id)
    return back(request, reverse("communities:settings", args=[slug]))

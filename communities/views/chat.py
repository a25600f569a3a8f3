"""Chat pages. Reading and posting work without JavaScript (a form, then the page again);
with it, chat.js speaks the websocket protocol and the page updates live."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import permissions
from communities.errors import ChatClosed, ChatRefused
from communities.forms import ChatForm, FlagForm
from communities.models import ChatMessage, ChatRoom, ContentStatus
from communities.selectors import spaces as selectors
from communities.selectors.chat import HISTORY
from communities.services import chat, review
from communities.views.common import done, failed


def _community_seat(request, slug: str):
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        return chat.chat_seat_for_community(user=request.user, slug=slug)
    except ChatClosed as closed:
        if closed.code == 4404:
            raise Http404 from None
        raise PermissionDenied from None


@login_required
def community_chat(request, slug: str):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    permissions.require_read(request.user, seat.community, seat.membership)
    chat_seat = _community_seat(request, slug)
    room = ChatRoom.objects.get(pk=chat_seat.room_id)
    return render(
        request,
        "communities/chat.html",
        {
            "seat": seat,
            "community": seat.community,
            "room": room,
            "chat_seat": chat_seat,
            "messages_shown": selectors.chat_recent(room_id=room.pk, limit=HISTORY),
            "form": ChatForm(),
            "socket": f"/ws/communities/{seat.community.slug}/chat/",
            "post_url": reverse("communities:chat_post", args=[slug]),
        },
    )


def _post(request, chat_seat, url: str):
    form = ChatForm(request.POST)
    if not form.is_valid():
        return failed(
            request, url, ValidationError(_("Write a message of up to 2,000 characters."))
        )
    try:
        message = chat.chat_message_post(seat=chat_seat, body=form.cleaned_data["body"])
    except ChatRefused as refused:
        return failed(request, url, ValidationError(refused.detail))
    except ChatClosed:
        raise PermissionDenied from None
    if message.status == ContentStatus.HELD:
        return done(request, url, _("A moderator will look at your message before it is shown."))
    return done(request, url)


@require_POST
@login_required
def community_chat_post(request, slug: str):
    return _post(request, _community_seat(request, slug), reverse("communities:chat", args=[slug]))


@require_POST
@login_required
def chat_message_moderate(request, slug: str, message_id: int):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    message = (
        ChatMessage.objects.select_related("room__community")
        .filter(pk=message_id, room__community=seat.community)
        .first()
    )
    if message is None:
        raise Http404
    url = reverse("communities:chat", args=[slug])
    try:
        review.message_moderate(
            message=message, actor=request.user, action=request.POST.get("action", "hide")
        )
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Done."))


@login_required
def chat_message_flag(request, slug: str, message_id: int):
    seat = selectors.viewer_in(slug=slug, viewer=request.user)
    permissions.require_read(request.user, seat.community, seat.membership)
    message = (
        ChatMessage.objects.select_related("room__community")
        .filter(pk=message_id, room__community=seat.community, status=ContentStatus.VISIBLE)
        .first()
    )
    if message is None:
        raise Http404
    url = reverse("communities:chat", args=[slug])
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review.message_flag(message=message, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            return failed(request, url, error)
        return done(request, url, _("Thank you. The moderators will take a look."))
    return render(
        request,
        "communities/flag.html",
        {"seat": seat, "community": seat.community, "message": message, "form": form, "back": url},
    )


def _qa_seat(request, session_id: int):
    try:
        return chat.chat_seat_for_session(
            user=request.user,
            session_id=session_id,
            guest_registration_id=request.session.get("qa_registration"),
        )
    except ChatClosed as closed:
        if closed.code == 4401:
            return None
        if closed.code == 4404:
            raise Http404 from None
        raise PermissionDenied(_("This Q&A is for the session's registrants.")) from None


def qa_room(request, session_id: int):
    from webinars.models import Session

    chat_seat = _qa_seat(request, session_id)
    if chat_seat is None:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    session = Session.objects.select_related("webinar").get(pk=session_id)
    room = ChatRoom.objects.get(pk=chat_seat.room_id)
    return render(
        request,
        "communities/qa_room.html",
        {
            "session": session,
            "webinar": session.webinar,
            "room": room,
            "chat_seat": chat_seat,
            "messages_shown": selectors.chat_recent(room_id=room.pk, limit=HISTORY),
            "form": ChatForm(),
            "socket": f"/ws/webinars/sessions/{session.pk}/qa/",
            "post_url": reverse("communities:qa_post", args=[session.pk]),
        },
    )


@require_POST
def qa_post(request, session_id: int):
    chat_seat = _qa_seat(request, session_id)
    if chat_seat is None:
        raise PermissionDenied
    return _post(request, chat_seat, reverse("communities:qa_room", args=[session_id]))


@require_POST
@login_required
def qa_message_hide(request, session_id: int, message_id: int):
    message = (
        ChatMessage.objects.select_related("room__session__webinar")
        .filter(pk=message_id, room__session_id=session_id)
        .first()
    )
    if message is None:
        raise Http404
    url = reverse("communities:qa_room", args=[session_id])
    try:
        review.message_moderate(message=message, actor=request.user, action="hide")
    except ValidationError as error:
        return failed(request, url, error)
    return done(request, url, _("Done."))

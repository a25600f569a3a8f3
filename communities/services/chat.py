"""Live chat: who may sit in a room, posting (checked, persisted, then broadcast), editing
one's own message, and presence. The consumer calls these through database_sync_to_async.

A room is a community's, or the Q&A room of one webinar session: its registrants (those
without an account through their personal join link, under their registered name) and
the webinar's organizers, who moderate it.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities import permissions
from communities.errors import ChatClosed, ChatRefused
from communities.models import (
    ChatMessage,
    ChatRoom,
    Community,
    ContentStatus,
    Membership,
    ReviewItem,
)
from communities.services import chat_frames, post_lifecycle
from communities.services.audit import Action, audit_record
from communities.services.review import message_moderate
from communities.services.watched import watched_word_decision
from communities.text import MAX_CHAT, clean_text
from core.clock import now
from core.markdown import render_markdown
from core.ratelimit import allow
from webinars.models import Registration, Session
from webinars.permissions import can_manage_webinar

EDIT_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class ChatSeat:
    """One socket's place in one room, decided when it connects."""

    room_id: int
    group: str
    community_id: int | None
    session_id: int | None
    member_id: int | None
    registration_id: int | None
    name: str
    moderator: bool
    language: str = "en"  # of the person: error details are written in it

    @property
    def who(self) -> str:
        return f"m{self.member_id}" if self.member_id else f"r{self.registration_id}"


def _community_room(community: Community) -> ChatRoom:
    room = getattr(community, "chat_room", None)
    if room is None:
        room, _created = ChatRoom.objects.get_or_create(community=community)
    return room


def chat_seat_for_community(*, user, slug: str) -> ChatSeat:
    if user is None or not user.is_authenticated:
        raise ChatClosed(4401)
    community = Community.objects.filter(slug=slug).select_related("chat_room").first()
    if community is None:
        raise ChatClosed(4404)
    membership = permissions.membership_of(user, community)
    if permissions.active_ban(user, community) is not None:
        raise ChatClosed(4403)
    if not permissions.can_read(user, community, membership):
        raise ChatClosed(4403)
    room = _community_room(community)
    return ChatSeat(
        room_id=room.pk,
        group=room.group_name,
        community_id=community.pk,
        session_id=None,
        member_id=user.pk,
        registration_id=None,
        name=user.get_full_name(),
        moderator=permissions.can_moderate(user, community, membership),
        language=user.language,
    )


@dataclass(frozen=True)
class _Speaker:
    """Who sits in a session's room: an account (a registrant or an organizer), or a
    registration without one (a guest, through their personal join link)."""

    member_id: int | None
    registration_id: int | None
    name: str
    moderator: bool
    language: str


def chat_seat_for_session(*, user, session_id: int, guest_registration_id=None) -> ChatSeat:
    session = Session.objects.select_related("webinar").filter(pk=session_id).first()
    if session is None:
        raise ChatClosed(4404)
    speaker = None
    authenticated = user is not None and user.is_authenticated
    confirmed = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
    if authenticated:
        manager = can_manage_webinar(user, session.webinar)
        registered = (
            confirmed.filter(member=user).exists()
            or confirmed.filter(email__iexact=user.email).exists()
        )
        if manager or registered:
            speaker = _Speaker(user.pk, None, user.get_full_name(), manager, user.language)
    if speaker is None and isinstance(guest_registration_id, int):
        guest = confirmed.filter(pk=guest_registration_id).first()
        if guest is not None:
            speaker = _Speaker(None, guest.pk, guest.full_name, False, guest.language)
    if speaker is None:
        raise ChatClosed(4403 if authenticated or guest_registration_id else 4401)
    room, _created = ChatRoom.objects.get_or_create(session=session)
    return ChatSeat(
        room_id=room.pk,
        group=room.group_name,
        community_id=None,
        session_id=session.pk,
        member_id=speaker.member_id,
        registration_id=speaker.registration_id,
        name=speaker.name,
        moderator=speaker.moderator,
        language=speaker.language,
    )


def _still_registered(seat: ChatSeat) -> bool:
    """A seat in a session's room: is its registration (or its member's) still confirmed?"""
    if seat.session_id is None:
        return False
    confirmed = Registration.objects.filter(
        session_id=seat.session_id, status=Registration.Status.CONFIRMED
    )
    if seat.registration_id:
        return confirmed.filter(pk=seat.registration_id).exists()
    if seat.member_id is not None:
        return confirmed.filter(member_id=seat.member_id).exists()
    return False


def _room_and_standing(seat: ChatSeat) -> tuple[ChatRoom, Membership | None, bool]:
    """The seat's room and its standing there, checked again at each message (people are
    muted, banned or removed while connected): the membership, if any, and whether the
    seat moderates now. A community member's costs one query (membership, community and
    room together): a chat message's reads are few, as it is sent many times a second."""
    membership = None
    if seat.community_id is not None and seat.member_id is not None:
        membership = (
            Membership.objects.select_related("community__chat_room")
            .filter(community_id=seat.community_id, member_id=seat.member_id)
            .first()
        )
    room = getattr(membership.community, "chat_room", None) if membership else None
    if room is None or room.pk != seat.room_id:
        room = ChatRoom.objects.select_related("community").get(pk=seat.room_id)
    membership_here, moderator = _standing(seat, room, membership)
    return room, membership_here, moderator


def _standing(
    seat: ChatSeat, room: ChatRoom, membership: Membership | None
) -> tuple[Membership | None, bool]:
    community = room.community
    if community is None:  # a webinar session's room
        if not seat.moderator and not _still_registered(seat):
            raise ChatClosed(4403)
        return None, seat.moderator
    if membership is not None:
        if membership.is_muted_at(now()):
            raise ChatRefused("muted", _("You are read-only in this community for now."))
        return membership, membership.is_moderator or seat.moderator
    if seat.moderator:  # platform staff, who need no membership
        return None, True
    if community.is_public:
        raise ChatRefused("muted", _("Join the community to take part in its chat."))
    raise ChatClosed(4403)


def _checked(body, client_id) -> tuple[str, str]:
    if not isinstance(body, str) or not isinstance(client_id, str | None):
        raise ChatRefused("invalid", _("A message is a text body and an optional client_id."))
    client_id = client_id or ""
    if len(client_id) > 64:
        raise ChatRefused("invalid", _("client_id is at most 64 characters."))
    if len(body) > MAX_CHAT * 2:
        raise ChatRefused("too_long", _("Messages are at most 2,000 characters."))
    text = clean_text(body)
    if not text:
        raise ChatRefused("invalid", _("Write something first."))
    if len(text) > MAX_CHAT:
        raise ChatRefused("too_long", _("Messages are at most 2,000 characters."))
    return text, client_id


def _refused_word(word: str) -> ChatRefused:
    return ChatRefused(
        "invalid",
        _("Your message contains “%(word)s”, which this community does not allow.")
        % {"word": word},
    )


def _rate_check(seat: ChatSeat, room: ChatRoom, moderator: bool) -> None:
    if moderator:
        return
    if room.slow_mode_seconds and not allow(
        f"chat-slow:{room.pk}", seat.who, f"1/{room.slow_mode_seconds}"
    ):
        raise ChatRefused(
            "rate_limited",
            _("Slow mode is on: one message every %(n)s seconds.") % {"n": room.slow_mode_seconds},
        )
    if not allow(f"chat:{room.pk}", seat.who, settings.CHAT_RATE_LIMIT):
        raise ChatRefused("rate_limited", _("You are sending messages too fast; wait a moment."))


def chat_message_post(*, seat: ChatSeat, body, client_id=None) -> ChatMessage:
    """Store the message, then (after commit) send `message.new` to the room. Raises
    ChatRefused (nothing stored) or ChatClosed."""
    text, client_id = _checked(body, client_id)
    room, membership, moderator = _room_and_standing(seat)
    words = watched_word_decision(community_id=room.community_id, texts=[text], moderator=moderator)
    if words.blocked:
        raise _refused_word(words.word)
    _rate_check(seat, room, moderator)
    held = words.held
    at = now()
    community = room.community
    touch = post_lifecycle.membership_touch_due(membership, at)
    bump = community is not None and (
        community.last_post_at is None or (at - community.last_post_at).total_seconds() > 60
    )
    # Most messages are one INSERT, which commits on its own: an explicit transaction
    # would only add BEGIN and COMMIT, two more round trips for every message.
    with transaction.atomic() if held or words.flagged or touch or bump else nullcontext():
        message = ChatMessage.objects.create(
            room=room,
            author_id=seat.member_id,
            registration_id=seat.registration_id,
            author_name=seat.name[:200],
            body=text,
            body_html=render_markdown(text),
            client_id=client_id,
            status=ContentStatus.HELD if held else ContentStatus.VISIBLE,
            created_at=at,
        )
        if community is not None and held:
            post_lifecycle.review_item_open(
                community=community,
                kind=ReviewItem.Kind.HELD_MESSAGE,
                reason=words.reason,
                message=message,
            )
        else:
            chat_frames.publish_new(message)
            if touch:
                post_lifecycle.membership_touch(membership)
            if community is not None and bump:
                Community.objects.filter(pk=community.pk).update(last_post_at=at)
        if community is not None and words.flagged:
            post_lifecycle.system_flag_raise(community=community, words=words, message=message)
    return message


def _written_by(message: ChatMessage, seat: ChatSeat) -> bool:
    return bool(
        (seat.member_id and message.author_id == seat.member_id)
        or (seat.registration_id and message.registration_id == seat.registration_id)
    )


def chat_message_edit(*, seat: ChatSeat, message_id, body) -> ChatMessage:
    text, _client_id = _checked(body, None)
    if not isinstance(message_id, int):
        raise ChatRefused("invalid", _("Say which message to edit."))
    room, _membership, moderator = _room_and_standing(seat)
    with transaction.atomic():
        message = (
            ChatMessage.objects.select_for_update(of=("self",))
            .select_related("room")
            .filter(pk=message_id, room=room)
            .first()
        )
        if (
            message is None
            or not _written_by(message, seat)
            or message.status != ContentStatus.VISIBLE
        ):
            raise ChatRefused("invalid", _("You can only edit your own messages."))
        if now() - message.created_at > EDIT_WINDOW:
            raise ChatRefused("invalid", _("Messages can be edited for 15 minutes."))
        # Seen already, an edit cannot wait for approval: a hold word refuses it.
        words = watched_word_decision(
            community_id=room.community_id, texts=[text], moderator=moderator, may_hold=False
        )
        if words.blocked:
            raise _refused_word(words.word)
        message.previous_bodies = [*message.previous_bodies, message.body]
        message.body, message.body_html, message.edited_at = text, render_markdown(text), now()
        message.save(update_fields=["previous_bodies", "body", "body_html", "edited_at"])
        if room.community is not None and words.flagged:
            post_lifecycle.system_flag_raise(community=room.community, words=words, message=message)
        chat_frames.publish_edited(message)
    return message


def chat_message_hide(*, seat: ChatSeat, message_id, actor) -> ChatMessage:
    """A moderator hides a message from the room, live for everyone."""
    if not isinstance(message_id, int):
        raise ChatRefused("invalid", _("Say which message to hide."))
    message = (
        ChatMessage.objects.select_related("room__community", "room__session__webinar")
        .filter(pk=message_id, room_id=seat.room_id)
        .first()
    )
    if message is None or message.status != ContentStatus.VISIBLE:
        raise ChatRefused("invalid", _("No such message."))
    try:
        return message_moderate(message=message, actor=actor, action="hide")
    except PermissionDenied:
        raise ChatRefused("invalid", _("Only moderators can hide messages.")) from None


def room_set_slow_mode(*, community: Community, actor, seconds: int) -> ChatRoom:
    """A community chat's slow mode; the room is made here, after the check, if the
    community has never chatted."""
    permissions.require_moderator(actor, community)
    if not 0 <= seconds <= 3600:
        raise ValidationError(_("Slow mode is between 0 and 3,600 seconds."))
    with transaction.atomic():
        room, _created = ChatRoom.objects.get_or_create(community=community)
        ChatRoom.objects.filter(pk=room.pk).update(slow_mode_seconds=seconds)
        room.slow_mode_seconds = seconds
        audit_record(
            community=community,
            room=room,
            actor=actor,
            action=Action.SLOW_MODE,
            summary=f"{seconds} s",
        )
    return room

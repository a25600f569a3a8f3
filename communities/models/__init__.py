"""Communities: spaces and membership, discussions, live chat, moderation."""

from communities.models.chat import ChatMessage, ChatPresence, ChatRoom
from communities.models.discussions import Attachment, Post, PostLike, PostRevision, Thread
from communities.models.moderation import Flag, ModerationAction, ReviewItem, WatchedWord
from communities.models.spaces import Ban, Community, Invitation, JoinRequest, Membership
from communities.models.status import ContentStatus

__all__ = [
    "Attachment",
    "Ban",
    "ChatMessage",
    "ChatPresence",
    "ChatRoom",
    "Community",
    "ContentStatus",
    "Flag",
    "Invitation",
    "JoinRequest",
    "Membership",
    "ModerationAction",
    "Post",
    "PostLike",
    "PostRevision",
    "ReviewItem",
    "Thread",
    "WatchedWord",
]

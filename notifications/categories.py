"""Kinds of notification, the category each belongs to, and its default channel.

A member's preferences are a matrix of these categories × channels. Kinds are dotted
codes (`communities.reply`); the category is what a member turns on or off.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Channel:
    IN_APP = "in_app"
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"

    CHOICES = [
        (IN_APP, _("In the app only")),
        (IMMEDIATE, _("Email at once")),
        (DAILY, _("Daily digest")),
        (WEEKLY, _("Weekly digest")),
        (OFF, _("Off")),
    ]
    VALUES = [value for value, _label in CHOICES]


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    default: str
    essential: bool = False  # cannot be turned off (e.g. your own registration)
    hidden: bool = False  # not a row of the preference matrix


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in [
        Category(
            "webinars.registration",
            _("Your webinar registrations"),
            Channel.IMMEDIATE,
            essential=True,
        ),
        Category("webinars.reminder", _("Webinar reminders"), Channel.IMMEDIATE),
        Category("webinars.recording", _("Recordings and slides"), Channel.IMMEDIATE),
        Category("webinars.message", _("Messages from webinar organizers"), Channel.IMMEDIATE),
        Category("webinars.upcoming", _("Upcoming webinars"), Channel.WEEKLY),
        Category("communities.reply", _("Replies to your posts"), Channel.DAILY),
        Category("communities.mention", _("Mentions of you"), Channel.IMMEDIATE),
        Category(
            "communities.join_request", _("Requests to join your communities"), Channel.IMMEDIATE
        ),
        Category("communities.activity", _("New discussions in your communities"), Channel.WEEKLY),
        Category("moderation.queue", _("Your moderation queue"), Channel.IMMEDIATE),
        Category(
            "moderation.outcome", _("Moderation of your posts"), Channel.IMMEDIATE, essential=True
        ),
        Category("notifications.digest", _("Digest emails"), Channel.IMMEDIATE, hidden=True),
    ]
}

# Which category a kind belongs to: its own code, or the entry named here.
KIND_CATEGORY = {
    "webinars.confirmed": "webinars.registration",
    "webinars.waitlisted": "webinars.registration",
    "webinars.promoted": "webinars.registration",
    "webinars.pending": "webinars.registration",
    "webinars.approved": "webinars.registration",
    "webinars.rejected": "webinars.registration",
    "webinars.cancelled": "webinars.registration",
    "webinars.rescheduled": "webinars.registration",
    "webinars.session_cancelled": "webinars.registration",
    "webinars.thank_you": "webinars.recording",
    "webinars.sorry_missed": "webinars.recording",
    "moderation.escalation": "moderation.queue",
    "communities.invitation": "communities.join_request",
    # The library's review: reviewers hear of submissions, submitters of decisions.
    "library.submitted": "moderation.queue",
    "library.review": "moderation.outcome",
}


def category_of(kind: str) -> Category:
    code = KIND_CATEGORY.get(kind, kind)
    try:
        return CATEGORIES[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {kind!r}") from None


def category_register(category: Category, *, kinds: tuple[str, ...] = ()) -> None:
    """The one way for apps above notifications to add a category (and the kinds that
    belong to it), from their AppConfig.ready(), without notifications importing them.

    Registering the same category again is a no-op (ready() may run more than once);
    a different category under a code already taken, or a kind already mapped to
    another category, is a programming error and raises ValueError.
    """
    existing = CATEGORIES.get(category.code)
    if existing is not None and existing != category:
        raise ValueError(f"notification category {category.code!r} is already registered")
    for kind in kinds:
        mapped = KIND_CATEGORY.get(kind)
        if mapped is not None and mapped != category.code:
            raise ValueError(f"notification kind {kind!r} already belongs to {mapped!r}")
        if kind in CATEGORIES and kind != category.code:
            raise ValueError(f"notification kind {kind!r} is itself a category")
    CATEGORIES.setdefault(category.code, category)
    for kind in kinds:
        KIND_CATEGORY.setdefault(kind, category.code)

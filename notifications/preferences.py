"""Which channel a member gets a category on: their choice, else the category's default."""

from django.db import transaction

from notifications.categories import CATEGORIES, Channel, category_of
from notifications.models import DeliverySettings, NotificationPreference


def channel_for(member, category: str) -> str:
    code = category_of(category).code
    chosen = (
        NotificationPreference.objects.filter(member=member, category=code)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or CATEGORIES[code].default


def channels_for_members(member_ids: list[int]) -> dict[int, dict[str, str]]:
    """Every member's full matrix in one query."""
    matrix = {
        member_id: {code: c.default for code, c in CATEGORIES.items()} for member_id in member_ids
    }
    for member_id, category, channel in NotificationPreference.objects.filter(
        member_id__in=member_ids
    ).values_list("member_id", "category", "channel"):
        if category in CATEGORIES:
            matrix[member_id][category] = channel
    return matrix


def delivery_settings(member) -> DeliverySettings:
    """The member's settings, or the defaults (unsaved) for one who never changed them:
    reading the preferences page writes nothing."""
    return DeliverySettings.objects.filter(member=member).first() or DeliverySettings(member=member)


def preferences_save(
    *, member, channels: dict[str, str], paused: bool, digest_hour: int, weekly_day: int
) -> None:
    for code, channel in channels.items():
        if code not in CATEGORIES or channel not in Channel.VALUES:
            raise ValueError(f"bad preference {code}={channel}")
        if CATEGORIES[code].essential and channel == Channel.OFF:
            raise ValueError(f"{code} cannot be switched off")
    if not (0 <= digest_hour <= 23 and 0 <= weekly_day <= 6):
        raise ValueError("digest hour or weekday out of range")
    with transaction.atomic():
        for code, channel in channels.items():
            NotificationPreference.objects.update_or_create(
                member=member, category=code, defaults={"channel": channel}
            )
        DeliverySettings.objects.update_or_create(
            member=member,
            defaults={"paused": paused, "digest_hour": digest_hour, "weekly_day": weekly_day},
        )


def unsubscribe(*, email: str, category: str) -> None:
    """One click: this address gets no more of this category, account or not."""
    from members.models import Member
    from notifications.models import EmailOptOut

    code = category_of(category).code
    with transaction.atomic():
        EmailOptOut.objects.get_or_create(email=email.lower(), category=code)
        member = Member.objects.filter(email__iexact=email).first()
        if member is not None and not CATEGORIES[code].essential:
            NotificationPreference.objects.update_or_create(
                member=member, category=code, defaults={"channel": Channel.IN_APP}
            )

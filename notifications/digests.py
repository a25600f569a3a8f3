"""Daily and weekly digests: exactly once per member, kind and period.

A pass (the beat task every 15 minutes, or `manage.py send_digests`) walks members
in batches. For each batch it reads everything it needs in a fixed number of queries,
then writes the batch's `DigestRun` rows and their `OutboundEmail` rows in one
transaction: the unique (member, kind, period) constraint makes a second pass, a
racing worker or a retry after a crash write nothing twice. A pass killed midway
leaves whole batches done or not done; the next pass sends the rest.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction

from core.clock import now
from notifications.categories import Channel, category_of
from notifications.delivery import blocked_addresses
from notifications.models import (
    DeliverySettings,
    DigestRun,
    Notification,
    OutboundEmail,
)
from notifications.rendering import render_email
from notifications.unsubscribe import list_unsubscribe_headers

BATCH_SIZE = 500
# A digest is due from the member's digest hour until CATCH_UP later (so a pass that
# was down at 08:00 still sends at 09:15), never at 19:00 for that morning's digest.
CATCH_UP = 6
DIGEST_CATEGORY = "notifications.digest"


@dataclass
class PassResult:
    sent: int = 0
    empty: int = 0
    skipped: int = 0  # paused, suppressed or unsubscribed
    already: int = 0  # this period's digest exists already
    batches: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest section; `when` is shown in the member's zone, `url` is a path,
    `language` the language `title` is written in when that is not the member's (it is
    then marked "(in English)")."""

    title: str
    url: str = ""
    when: datetime | None = None
    language: str = ""


@dataclass(frozen=True)
class DigestSection:
    title: str
    items: list[DigestItem]


@dataclass
class DigestContent:
    notifications: list = field(default_factory=list)
    sections: list[DigestSection] = field(default_factory=list)  # from the apps, in app order

    def is_empty(self) -> bool:
        return not (self.notifications or any(section.items for section in self.sections))


# A provider is a callable (members, kind, at, channels) -> {member_id: [DigestSection, ...]}:
# `channels` maps each member's id to their {category: channel} matrix. Providers read what
# they need for the whole batch in a fixed number of queries. Apps register theirs in
# AppConfig.ready(), so notifications never imports the apps that feed it.
SectionProvider = Callable[[list, str, datetime, dict], dict[int, list[DigestSection]]]
_SECTION_PROVIDERS: list[SectionProvider] = []


def digest_section_register(provider: SectionProvider) -> None:
    if provider not in _SECTION_PROVIDERS:
        _SECTION_PROVIDERS.append(provider)


def _period(kind: str, local: datetime) -> date:
    day = local.date()
    return day if kind == DigestRun.Kind.DAILY else day - timedelta(days=day.weekday())


def _due_kinds(member, channels: dict[str, str], delivery: DeliverySettings | None, at: datetime):
    hour = delivery.digest_hour if delivery else 8
    weekday = delivery.weekly_day if delivery else 0
    local = at.astimezone(ZoneInfo(member.time_zone))
    if not hour <= local.hour < hour + CATCH_UP:
        return []
    used = set(channels.values())
    kinds = []
    if Channel.DAILY in used:
        kinds.append((DigestRun.Kind.DAILY, _period(DigestRun.Kind.DAILY, local)))
    if Channel.WEEKLY in used and local.weekday() == weekday:
        kinds.append((DigestRun.Kind.WEEKLY, _period(DigestRun.Kind.WEEKLY, local)))
    return kinds


def digests_send(*, at: datetime | None = None, batch_size: int = BATCH_SIZE) -> PassResult:
    from members.models import Member

    at = at or now()
    result = PassResult()
    last_id = 0
    while True:
        members = list(
            Member.objects.filter(is_active=True, pk__gt=last_id)
            .select_related("delivery_settings")
            .order_by("pk")[:batch_size]
        )
        if not members:
            return result
        last_id = members[-1].pk
        result.batches += 1
        _send_batch(members, at, result)


def _send_batch(members, at: datetime, result: PassResult) -> None:
    from notifications.preferences import channels_for_members

    matrix = channels_for_members([m.pk for m in members])
    due = []  # (member, kind, period)
    for member in members:
        delivery = getattr(member, "delivery_settings", None)
        for kind, period in _due_kinds(member, matrix[member.pk], delivery, at):
            if delivery is not None and delivery.paused:
                result.skipped += 1
                continue
            due.append((member, kind, period))
    if not due:
        return
    for attempt in range(3):
        counts = PassResult()
        try:
            with transaction.atomic():
                _write(due, matrix, at, counts)
        except IntegrityError:
            if attempt == 2:
                raise  # another pass keeps writing the same rows: the next pass does them
            continue  # a racing pass wrote some of these rows: look again
        for name in ("sent", "empty", "skipped", "already"):
            setattr(result, name, getattr(result, name) + getattr(counts, name))
        return


def _write(due, matrix, at: datetime, result: PassResult) -> None:
    member_ids = {m.pk for m, _k, _p in due}
    existing = set(
        DigestRun.objects.filter(
            member_id__in=member_ids, period__in={p for _m, _k, p in due}
        ).values_list("member_id", "kind", "period")
    )
    fresh = [(m, k, p) for m, k, p in due if (m.pk, k, p) not in existing]
    result.already += len(due) - len(fresh)
    if not fresh:
        return
    blocked = blocked_addresses([m.email for m, _k, _p in fresh], DIGEST_CATEGORY)
    contents = _contents(fresh, matrix, at)
    runs, emails = [], []
    for member, kind, period in fresh:
        content = contents[(member.pk, kind)]
        if member.email.lower() in blocked:
            status = DigestRun.Status.SKIPPED
            result.skipped += 1
        elif content.is_empty():
            status = DigestRun.Status.EMPTY
            result.empty += 1
        else:
            status = DigestRun.Status.QUEUED
            emails.append(_email_row(member, kind, period, content, at))
            result.sent += 1
        runs.append(
            DigestRun(member=member, kind=kind, period=period, status=status, created_at=at)
        )
    created = OutboundEmail.objects.bulk_create(emails)
    by_key = {row.dedupe_key: row for row in created}
    for run in runs:
        run.email = by_key.get(_dedupe_key(run.member, run.kind, run.period))
    DigestRun.objects.bulk_create(runs)
    included = [n.pk for c in contents.values() for n in c.notifications]
    Notification.objects.filter(pk__in=included).update(emailed_at=at)  # not in the next one
    ids = [row.pk for row in created]
    if ids:
        from notifications.tasks import outbound_emails_deliver

        transaction.on_commit(lambda: outbound_emails_deliver.delay(ids))


def _contents(fresh, matrix, at: datetime) -> dict:
    contents = {(m.pk, k): DigestContent() for m, k, _p in fresh}
    member_ids = [m.pk for m, _k, _p in fresh]
    oldest = at - timedelta(days=7)
    notifications = Notification.objects.filter(
        recipient_id__in=member_ids,
        read_at__isnull=True,
        emailed_at__isnull=True,
        created_at__gte=oldest,
    ).order_by("-created_at")
    by_member: dict[int, list] = {}
    for notification in notifications:
        by_member.setdefault(notification.recipient_id, []).append(notification)
    for provider in _SECTION_PROVIDERS:
        for kind in {k for _m, k, _p in fresh}:
            members = [m for m, k, _p in fresh if k == kind]
            for member_id, sections in provider(members, kind, at, matrix).items():
                contents[(member_id, kind)].sections.extend(sections)
    for member, kind, _period in fresh:
        channels = matrix[member.pk]
        contents[(member.pk, kind)].notifications = [
            n
            for n in by_member.get(member.pk, [])
            if channels.get(category_of(n.kind).code) == kind
        ][:20]
    return contents


def _dedupe_key(member, kind: str, period: date) -> str:
    return f"digest:{kind}:{member.pk}:{period.isoformat()}"


def _email_row(member, kind: str, period: date, content: DigestContent, at: datetime):
    message = render_digest(member, kind, period, content)
    headers = list_unsubscribe_headers(member.email, DIGEST_CATEGORY)
    return OutboundEmail(
        to=member.email,
        category=DIGEST_CATEGORY,
        kind=f"notifications.digest.{kind}",
        subject=message.subject[:400],
        text=message.body,
        html=message.alternatives[0][0],
        headers=headers,
        dedupe_key=_dedupe_key(member, kind, period),
        created_at=at,
    )


def render_digest(
    member, kind: str, period: date, content: DigestContent
) -> EmailMultiAlternatives:
    context = {
        "member": member,
        "kind": kind,
        "period": period,
        "content": content,
        "zone": member.time_zone,
    }
    return render_email(
        "notifications/email/digest", context, to=member.email, language=member.language
    )

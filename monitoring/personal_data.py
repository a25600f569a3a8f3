"""A member's own data: all of it to download (JSON and the files they shared), and
their account deleted — personal data removed or anonymised, their posts kept under
"former member" or removed, as they choose; registrations and attendance stay as
anonymous rows so webinar figures stay right.

Monitoring reads every app, so this is where one person's data across apps is gathered.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation
from django.utils.translation import gettext

from core.clock import now
from members.models import Member


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _registrations(member: Member):
    from webinars.models import Registration

    return Registration.objects.filter(Q(member=member) | Q(email__iexact=member.email))


def _named_responses(member: Member):
    """The member's responses to named surveys: theirs by account or by an invitation to
    their address. Anonymous surveys keep no link to anyone, and none is made here."""
    from surveys.models import Response

    return Response.objects.filter(
        Q(member=member) | Q(invitation__email__iexact=member.email), survey__anonymous=False
    )


def _answer_value(answer: Any, language: str) -> Any:
    from core.languages import pick

    if answer.option_id is not None and not answer.other:
        return pick(answer.option.text, language).text or answer.option.key
    if answer.number is not None:
        return str(answer.number)
    if answer.date is not None:
        return answer.date.isoformat()
    return answer.text


def _survey_responses(member: Member) -> list[dict[str, Any]]:
    from core.languages import pick

    language = member.language
    responses = (
        _named_responses(member)
        .select_related("survey")
        .prefetch_related("answers__question", "answers__option")
        .order_by("pk")
    )
    return [
        {
            "survey": pick(r.survey.title, language).text or r.survey.slug,
            "status": r.status,
            "language": r.language,
            "started_at": _iso(r.started_at),
            "submitted_at": _iso(r.submitted_at),
            "answers": [
                {
                    "question": pick(a.question.text, language).text or a.question.key,
                    **({"row": a.row} if a.row else {}),
                    **({"other": True} if a.other else {}),
                    "value": _answer_value(a, language),
                }
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]


def _event_submissions(member: Member) -> list[dict[str, Any]]:
    from events.models import Event

    return [
        {
            "title": e.title,
            "kind": e.kind,
            "submitted_for": e.owner.name,
            "review": e.review,
            "status": e.status,
            "starts_at": _iso(e.starts_at),
            "ends_at": _iso(e.ends_at),
            "time_zone": e.zone,
            "submitted_at": _iso(e.created_at),
        }
        for e in Event.objects.filter(submitted_by=member).select_related("owner").order_by("pk")
    ]


def _library_submissions(member: Member) -> list[dict[str, Any]]:
    """The publications the member submitted: metadata, where the review stands, their
    own steps in its log, and the file they uploaded (in the ZIP under library/)."""
    from library.models import Publication

    publications = (
        Publication.objects.filter(submitter=member)
        .prefetch_related("authors", "organizations", "transitions")
        .order_by("pk")
    )
    return [
        {
            "title": p.title,
            "abstract": p.abstract,
            "kind": p.kind,
            "language": p.language,
            "date": p.date_label,
            "authors": [a.name for a in p.authors.all()],
            "organizations": [o.name for o in p.organizations.all()],
            "doi": p.doi,
            "isbn": p.isbn,
            "url": p.url,
            "licence": p.licence,
            "status": p.status,
            "submitted_at": _iso(p.created_at),
            "published_at": _iso(p.published_at),
            "review_steps": [
                {"action": t.action, "note": t.note, "at": _iso(t.at)}
                for t in p.transitions.all()
                if t.actor_id == member.pk
            ],
            "file": _library_file_name(p) if p.file else None,
        }
        for p in publications
    ]


def _library_file_name(publication: Any) -> str:
    name = publication.file_name or publication.file.name.rsplit("/", 1)[-1]
    return f"library/{publication.pk}-{name}"


def personal_data(*, member: Member) -> dict[str, Any]:
    """Everything Baraza holds about `member`, as plain JSON-ready data."""
    from communities.models import ChatMessage, Membership, Post
    from notifications.models import Notification, NotificationPreference
    from webinars.models import Attendance

    registrations = list(_registrations(member).select_related("webinar", "session"))
    attendance = Attendance.objects.filter(registration__in=registrations).select_related("webinar")
    return {
        "exported_at": now().isoformat(),
        "profile": {
            "email": member.email,
            "full_name": member.full_name,
            "public_id": member.public_id,
            "organization": member.organization.name if member.organization else None,
            "country": str(member.country or ""),
            "language": member.language,
            "time_zone": member.time_zone,
            "role": member.role,
            "date_joined": _iso(member.date_joined),
            "last_login": _iso(member.last_login),
        },
        "webinar_registrations": [
            {
                "webinar": r.webinar.title,
                "session_starts_at": _iso(r.session.starts_at),
                "email": r.email,
                "full_name": r.full_name,
                "organization": r.organization_name,
                "country": str(r.country or ""),
                "language": r.language,
                "time_zone": r.time_zone,
                "answers": r.answers,
                "status": r.status,
                "registered_at": _iso(r.created_at),
            }
            for r in registrations
        ],
        "webinar_attendance": [
            {"webinar": a.webinar.title, "minutes": a.minutes, "first_join": _iso(a.first_join)}
            for a in attendance
        ],
        "community_memberships": [
            {"community": m.community.name, "role": m.role}
            for m in Membership.objects.filter(member=member).select_related("community")
        ],
        "posts": [
            {
                "community": p.community.name,
                "discussion": p.thread.title,
                "body": p.body,
                "status": p.status,
                "created_at": _iso(p.created_at),
                "files": [a.file.name for a in p.attachments.all() if a.file],
            }
            for p in Post.objects.filter(author=member)
            .select_related("community", "thread")
            .prefetch_related("attachments")
        ],
        "chat_messages": [
            {"body": c.body, "status": c.status, "created_at": _iso(c.created_at)}
            for c in ChatMessage.objects.filter(author=member)
        ],
        "notifications": [
            {"title": n.title, "url": n.url, "created_at": _iso(n.created_at)}
            for n in Notification.objects.filter(recipient=member)
        ],
        "survey_responses": _survey_responses(member),
        "event_submissions": _event_submissions(member),
        "library_submissions": _library_submissions(member),
        "notification_preferences": dict(
            NotificationPreference.objects.filter(member=member).values_list("category", "channel")
        ),
    }


def personal_data_archive(*, member: Member) -> bytes:
    """A ZIP: data.json, and under files/ every file the member shared."""
    from communities.models import Attachment

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        data = personal_data(member=member)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        files = Attachment.objects.filter(post__author=member, kind="file").exclude(file="")
        for attachment in files:
            try:
                with attachment.file.open("rb") as handle:
                    archive.writestr(f"files/{attachment.pk}-{attachment.name}", handle.read())
            except OSError:  # a file gone from storage: the JSON still names it
                continue
        from library.models import Publication

        for publication in Publication.objects.filter(submitter=member).exclude(file=""):
            try:
                with publication.file.open("rb") as handle:
                    archive.writestr(_library_file_name(publication), handle.read())
            except OSError:
                continue
    return buffer.getvalue()


@transaction.atomic
def member_account_delete(*, member: Member, keep_posts: bool) -> None:
    """Delete `member`'s account. Their registrations and attendance stay, anonymous (the
    figures stay right); their posts and chat messages stay under "former member"
    (`keep_posts`) or are removed; everything else about them goes."""
    from communities.models import Attachment, ChatMessage, Post, PostRevision, Thread
    from notifications.models import EmailOptOut, OutboundEmail
    from webinars.models import Attendance, new_join_token

    email = member.email
    registrations = list(_registrations(member))
    for registration in registrations:
        registration.email = f"former-member-{registration.pk}@deleted.invalid"
        registration.full_name = ""
        registration.answers = {}
        registration.consent = False
        registration.member = None
        registration.join_token = new_join_token()  # the old links stop working
    from webinars.models import Registration

    Registration.objects.bulk_update(
        registrations, ["email", "full_name", "answers", "consent", "member", "join_token"]
    )
    for attendance in Attendance.objects.filter(
        Q(registration__in=registrations) | Q(email__iexact=email)
    ):
        attendance.name = ""
        attendance.email = ""
        attendance.person_key = f"former-member:{attendance.pk}"
        attendance.save(update_fields=["name", "email", "person_key"])
    with translation.override("en"):
        former = gettext("Former member")
    messages = ChatMessage.objects.filter(author=member)
    posts = Post.objects.filter(author=member)
    ChatMessage.objects.filter(registration__in=registrations).update(author_name=former)
    if keep_posts:
        messages.update(author_name=former)
    else:
        removed = {"status": "deleted", "body": "", "body_html": ""}
        messages.update(author_name=former, previous_bodies=[], **removed)
        PostRevision.objects.filter(post__in=posts).update(body="", title="")
        for attachment in Attachment.objects.filter(post__in=posts, kind="file"):
            attachment.file.delete(save=False)
        Attachment.objects.filter(post__in=posts).delete()
        Thread.objects.filter(author=member, reply_count=0).update(status="deleted")
        posts.update(**removed)
    _surveys_anonymise(member)
    _library_submissions_remove(member)
    # Events they submitted stay on the calendar under the organization they were
    # submitted for; `submitted_by` empties itself when the member row goes.
    OutboundEmail.objects.filter(to__iexact=email).delete()
    EmailOptOut.objects.filter(email__iexact=email).delete()
    member.delete()  # posts, threads and messages keep their row, without an author


def _surveys_anonymise(member: Member) -> None:
    """Named responses stay (every tally stays right) but lose what tied them to the
    member: the account, the invitation's address, the respondent key, the time of day.
    Invitations to their address are kept as counted, nameless rows (response rates stay
    right). Surveys they wrote pass to an admin of their organization, else to platform
    staff; drafts nobody answered are deleted."""
    from django.db.models.functions import TruncDay

    from members.models import Role
    from surveys.models import Invitation, Response, Survey, new_token

    email = member.email
    named = Response.objects.filter(pk__in=_named_responses(member).values("pk"))
    named.update(
        member=None,
        respondent_key=Concat(Value("former-member:"), Cast("pk", CharField())),
        submitted_at=TruncDay("submitted_at"),
        started_at=TruncDay("started_at"),
    )
    for invitation in Invitation.objects.filter(Q(member=member) | Q(email__iexact=email)):
        invitation.member = None
        invitation.email = f"former-member-{invitation.pk}@deleted.invalid"
        invitation.token = new_token()
        invitation.save(update_fields=["member", "email", "token"])
    owned = Survey.objects.filter(owner=member)
    owned.filter(status=Survey.Status.DRAFT, responses__isnull=True).delete()
    if not owned.exists():
        return
    heirs = Member.objects.filter(is_active=True).exclude(pk=member.pk).order_by("pk")
    heir = None
    if member.organization_id:
        heir = heirs.filter(organization_id=member.organization_id, role=Role.PARTNER_ADMIN).first()
    heir = heir or heirs.filter(role=Role.STAFF).first()
    if heir is None:  # nobody to look after them: they go with the account
        owned.delete()
    else:
        owned.update(owner=heir)


def _library_submissions_remove(member: Member) -> None:
    """Published publications stay in the library (they belong to their authors and
    organizations; their downloads stay counted) without the submitter link, which empties
    itself when the member row goes. Submissions that never went out (waiting, sent back,
    rejected) are the member's alone: they go, with their files, and a work left with no
    version goes too (a version protects its work, so it must go first)."""
    from library.models import Publication, Work

    unpublished = Publication.objects.filter(submitter=member).exclude(
        status=Publication.Status.PUBLISHED
    )
    works = set(unpublished.values_list("work_id", flat=True))
    files: list[tuple[Any, str]] = []
    for publication in unpublished:
        files += [(f.storage, f.name) for f in (publication.file, publication.cover) if f.name]
    unpublished.delete()
    Work.objects.filter(pk__in=works, versions__isnull=True).delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)

"""Answering: who the respondent is, and storing their answers once.

A respondent is identified by a member, an invitation token or (public links, visitors
without an account) a browser cookie; the response row carries a hash of that identity
with the survey's salt, unique per survey, so two tabs or a double click store one
response: the second insert fails on the unique index and updates the first row instead,
under a row lock.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.clock import now
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.schema import OTHER_KEY

T = Question.Type


@dataclass
class Respondent:
    """Who is answering: `identity` is "m:<member id>", "i:<invitation id>" or
    "c:<cookie>"; never stored as such (see `respondent_key`)."""

    identity: str
    language: str
    member: Any = None
    invitation: Invitation | None = None


def respondent_key(survey: Survey, identity: str) -> str:
    if not survey.respondent_salt:
        raise ValidationError(_("This survey is closed."))
    return hmac.new(survey.respondent_salt.encode(), identity.encode(), hashlib.sha256).hexdigest()


def survey_state(survey: Survey, at: datetime | None = None) -> str:
    """ "open", "not_yet" (opening time to come), "closed" or "draft"."""
    at = at or now()
    if survey.status == Survey.Status.DRAFT:
        return "draft"
    if survey.status == Survey.Status.CLOSED or (survey.closes_at and survey.closes_at <= at):
        return "closed"
    if survey.opens_at and survey.opens_at > at:
        return "not_yet"
    return "open"


def require_open(survey: Survey, at: datetime | None = None) -> None:
    state = survey_state(survey, at)
    if state == "closed":
        raise ValidationError(_("This survey is closed: answers can no longer change."))
    if state == "not_yet":
        raise ValidationError(_("This survey is not open yet."))
    if state == "draft":
        raise ValidationError(_("This survey is not open."))


def response_find(survey: Survey, respondent: Respondent) -> Response | None:
    if not survey.respondent_salt:
        return None
    key = respondent_key(survey, respondent.identity)
    return Response.objects.filter(survey=survey, respondent_key=key).first()


def _day(at: datetime) -> datetime:
    return datetime.combine(at.date(), time(0), tzinfo=UTC)


def _profile(respondent: Respondent) -> dict[str, str]:
    """What breakdowns group by: the member's country, region and organization kind."""
    from webinars.regions import region_of

    member = respondent.member
    country = str(getattr(member, "country", "") or "") if member is not None else ""
    kind = ""
    if member is not None and member.organization_id:
        kind = member.organization.kind
    return {"country": country, "region": region_of(country) or "", "organization_kind": kind}


def _answer_rows(
    response: Response, questions: dict[str, Question], answers: dict[str, Any]
) -> list[Answer]:
    options = {(o.question_id, o.key): o for q in questions.values() for o in q.options.all()}
    rows: list[Answer] = []
    for key, (value, other) in answers.items():
        q = questions[key]
        if q.type in (T.SINGLE, T.MULTIPLE):
            for chosen in value if isinstance(value, list) else [value]:
                if chosen == OTHER_KEY:
                    rows.append(Answer(response=response, question=q, other=True, text=other))
                else:
                    rows.append(
                        Answer(response=response, question=q, option=options[(q.pk, chosen)])
                    )
        elif q.type == T.MATRIX:
            for row_key, chosen in value.items():
                rows.append(
                    Answer(
                        response=response, question=q, row=row_key, option=options[(q.pk, chosen)]
                    )
                )
        elif q.type in (T.NUMBER, T.SCALE):
            rows.append(Answer(response=response, question=q, number=Decimal(value)))
        elif q.type == T.DATE:
            rows.append(Answer(response=response, question=q, date=value))
        else:
            rows.append(Answer(response=response, question=q, text=str(value)))
    return rows


def response_save(
    *,
    survey: Survey,
    respondent: Respondent,
    questions: list[Question],
    answers: dict[str, tuple[Any, str]],
    submit: bool,
) -> Response:
    """Store `answers` (question key → (value, other text), already checked by the form
    against the questions and their conditions) as the respondent's one response, saved
    for later or submitted. A submitted response can be changed until the survey closes."""
    at = now()
    require_open(survey, at)
    key = respondent_key(survey, respondent.identity)
    by_key = {q.key: q for q in questions}
    if any(k not in by_key for k in answers):
        raise ValidationError(_("An answer names a question this survey does not have."))
    with transaction.atomic():
        # The survey row is share-locked (respondents never wait for each other) and its
        # anonymity read under that lock: an author changing it (survey_update takes the
        # row's update lock) either sees this response or is seen by it. The respondent's
        # own row is locked too. A close that commits while this runs lets this one last
        # save through, at the close.
        named = not _share_lock(survey)
        stamp = at if named else _day(at)
        response = _claim(survey, key, respondent, stamp, named)
        Answer.objects.filter(response=response).delete()
        Answer.objects.bulk_create(_answer_rows(response, by_key, answers))
        fields = ["updated_at", "language"]
        response.updated_at = stamp
        response.language = respondent.language
        if submit and response.status != Response.Status.SUBMITTED:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = stamp
            fields += ["status", "submitted_at"]
        response.save(update_fields=fields)
        if response.status == Response.Status.SUBMITTED:
            # Whichever link they used: their invitation gets no reminder.
            mine = (
                Q(pk=respondent.invitation.pk) if respondent.invitation is not None else Q(pk=None)
            )
            if respondent.member is not None:
                mine |= Q(member=respondent.member)
            Invitation.objects.filter(mine, survey=survey, responded=False).update(responded=True)
    return response


# Django's ORM has FOR UPDATE but not FOR SHARE (which does not block other sharers).
_SHARE_LOCK = {"postgresql": "SELECT anonymous FROM surveys_survey WHERE id = %s FOR SHARE"}


def _share_lock(survey: Survey) -> bool:
    """Share-lock the survey's row for this transaction; return its current anonymity.
    (SQLite has no row locks: its writers are serialised anyway.)"""
    sql = _SHARE_LOCK.get(connection.vendor, "SELECT anonymous FROM surveys_survey WHERE id = %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey.pk])
        row = cursor.fetchone()
    if row is None:
        raise ValidationError(_("This survey is not open."))
    survey.anonymous = bool(row[0])
    return survey.anonymous


def _claim(
    survey: Survey, key: str, respondent: Respondent, stamp: datetime, named: bool
) -> Response:
    """The respondent's response row, locked: created by the first of two racing
    requests; the other finds it (the unique index decides) and waits for its lock."""
    existing = (
        Response.objects.select_for_update().filter(survey=survey, respondent_key=key).first()
    )
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                respondent_key=key,
                member=respondent.member if named else None,
                invitation=respondent.invitation if named else None,
                language=respondent.language,
                started_at=stamp,
                updated_at=stamp,
                **_profile(respondent),
            )
    except IntegrityError:
        return Response.objects.select_for_update().get(survey=survey, respondent_key=key)


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions in the order shown (two queries): outside sections first,
    then section by section."""
    sections = {s.pk: i for i, s in enumerate(survey.sections.all())}
    questions = list(Question.objects.filter(survey=survey).prefetch_related("options"))
    questions.sort(
        key=lambda q: (
            -1 if q.section_id is None else sections.get(q.section_id, 0),
            q.position,
            q.pk,
        )
    )
    return questions

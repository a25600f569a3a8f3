"""Writing a survey: create, import, copy, edit its questions, open and close it.

Every change to the questions goes through the file format's checker
(`surveys.schema.survey_spec_read`) on the whole survey as it would be afterwards, so the
editor and an import can never disagree about what a valid survey is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.clock import now
from core.slugs import free_slug, route_prefixes
from surveys.models import Option, Question, Section, Survey, new_salt, new_token
from surveys.permissions import require_author, require_editor
from surveys.schema import QuestionSpec, SurveySpec, survey_document, survey_spec_read


def _slug(title: dict[str, str]) -> str:
    """From the title; never one of the app's own routes (`new`, `import`, `i`, `p`, `r`)."""
    from surveys.urls import urlpatterns

    text = title.get("en") or next(iter(title.values()), "survey")
    return free_slug(
        text,
        taken=lambda s: Survey.objects.filter(slug=s).exists(),
        reserved=route_prefixes(urlpatterns),
        max_length=90,
        fallback="survey",
    )


def _question_row(survey: Survey, spec: QuestionSpec, position: int, section) -> Question:
    return Question(
        survey=survey,
        section=section,
        key=spec.key,
        type=spec.type,
        text=spec.text,
        help=spec.help,
        required=spec.required,
        randomize=spec.randomize,
        allow_other=spec.other,
        min_value=spec.min,
        max_value=spec.max,
        min_label=spec.min_label,
        max_label=spec.max_label,
        rows=[{"key": r.key, "text": r.text} for r in spec.rows],
        show_if=spec.show_if,
        position=position,
    )


def _write_questions(survey: Survey, spec: SurveySpec) -> None:
    """Sections, questions and options of `spec`, in bulk (a few queries whatever the size)."""
    sections = Section.objects.bulk_create(
        [Section(survey=survey, title=s.title, position=i) for i, s in enumerate(spec.sections)]
    )
    rows: list[tuple[Question, QuestionSpec]] = []
    position = 0
    for q in spec.loose:
        rows.append((_question_row(survey, q, position, None), q))
        position += 1
    for section, section_spec in zip(sections, spec.sections, strict=True):
        for q in section_spec.questions:
            rows.append((_question_row(survey, q, position, section), q))
            position += 1
    questions = Question.objects.bulk_create([row for row, _spec in rows])
    Option.objects.bulk_create(
        [
            Option(question=question, key=o.key, text=o.text, position=i)
            for question, (_row, q) in zip(questions, rows, strict=True)
            for i, o in enumerate(q.options)
        ]
    )


def survey_create(*, owner, title: dict[str, str], anonymous: bool = False) -> Survey:
    """An empty draft (its questions come from the editor)."""
    require_author(owner)
    title = {code: text.strip() for code, text in title.items() if text and text.strip()}
    if not title:
        raise ValidationError({"title_en": _("Give the survey a title.")})
    at = now()
    with transaction.atomic():
        return Survey.objects.create(
            slug=_slug(title),
            owner=owner,
            title=title,
            anonymous=anonymous,
            zone=getattr(owner, "time_zone", "") or "UTC",
            created_at=at,
            updated_at=at,
        )


def survey_import(*, owner, spec: SurveySpec) -> Survey:
    """A new draft from a checked file (all of it, or nothing)."""
    require_author(owner)
    at = now()
    with transaction.atomic():
        survey = Survey.objects.create(
            slug=_slug(spec.title),
            owner=owner,
            title=spec.title,
            intro=spec.intro,
            anonymous=spec.anonymous,
            zone=getattr(owner, "time_zone", "") or "UTC",
            created_at=at,
            updated_at=at,
        )
        _write_questions(survey, spec)
    return survey


def survey_copy(*, survey: Survey, actor) -> Survey:
    """A new draft with the same questions, owned by `actor` (no audience, no answers)."""
    require_editor(actor, survey)
    spec = survey_spec_read(survey_document(survey))
    title = {code: _("%(title)s (copy)") % {"title": text} for code, text in spec.title.items()}
    spec.title = title
    copy = survey_import(owner=actor, spec=spec)
    return copy


def _require_unanswered(survey: Survey) -> None:
    """Once anyone has answered (or saved a draft), the questions, their sections and their
    order are fixed: every edit, deletion and move (buttons, drag, a section added, renamed
    or removed) asks this, under the survey's row lock, so an answer and a change cannot
    cross."""
    if survey.responses.exists():
        raise ValidationError(
            _("People have answered this survey: its questions can no longer change. Copy it.")
        )


def survey_update(
    *,
    survey: Survey,
    actor,
    title: dict[str, str],
    intro: dict[str, str],
    anonymous: bool,
    zone: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    public_members_only: bool,
) -> Survey:
    require_editor(actor, survey)
    title = {c: t.strip() for c, t in title.items() if t and t.strip()}
    if not title:
        raise ValidationError({"title_en": _("Give the survey a title.")})
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    with transaction.atomic():
        # The survey's row lock orders this against a first response (which holds a share
        # lock on it while it is stored): either that response is seen here, or it waits
        # and is stored under the new anonymity.
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if anonymous != locked.anonymous and locked.responses.exists():
            raise ValidationError(
                {"anonymous": _("People have answered already: anonymity can no longer change.")}
            )
        survey.title = title
        survey.intro = {c: t.strip() for c, t in intro.items() if t and t.strip()}
        survey.anonymous = anonymous
        survey.zone = zone
        survey.opens_at = opens_at
        survey.closes_at = closes_at
        survey.public_members_only = public_members_only
        survey.updated_at = now()
        survey.save()
    return survey


# --- questions ----------------------------------------------------------------------


def question_save(
    *,
    survey: Survey,
    actor,
    document: dict[str, Any],
    question: Question | None = None,
    section_id: int | None = None,
) -> Question:
    """Add a question, or replace one, from its file-format object: the whole survey as
    it would be is checked first (unique keys, conditions on earlier questions)."""
    require_editor(actor, survey)
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        whole = survey_document(survey)
        flat = _flat_questions(whole)
        if question is None:
            flat.append(document)
        else:
            flat = [document if q["key"] == question.key else q for q in flat]
        spec = survey_spec_read({"title": whole["title"], "questions": flat})
        new = next(q for q in spec.questions if q.key == document.get("key"))
        section = None
        if section_id is not None:
            section = Section.objects.filter(survey=survey, pk=section_id).first()
        if question is None:
            position = (
                Question.objects.filter(survey=survey)
                .order_by("-position")
                .values_list("position", flat=True)
                .first()
            )
            row = _question_row(survey, new, (position or 0) + 1, section)
            row.save()
        else:
            old_key = question.key
            row = _question_row(survey, new, question.position, section)
            row.pk = question.pk
            row.save()
            row.options.all().delete()
            if old_key != new.key:  # conditions naming it follow the new key
                for other in Question.objects.filter(survey=survey, show_if__question=old_key):
                    other.show_if = {**other.show_if, "question": new.key}
                    other.save(update_fields=["show_if"])
        Option.objects.bulk_create(
            [
                Option(question=row, key=o.key, text=o.text, position=i)
                for i, o in enumerate(new.options)
            ]
        )
        _touch(survey)
    return row


def _flat_questions(document: dict[str, Any]) -> list[dict[str, Any]]:
    flat = list(document.get("questions", []))
    for section in document.get("sections", []):
        flat.extend(section["questions"])
    return flat


def _touch(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(updated_at=now())


def _lock_questions(survey: Survey) -> None:
    """Every change to the questions or sections takes the survey's row lock first, so
    they happen one at a time: a reorder sees a question or section added meanwhile
    (and refuses), never a half-done edit."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()


def question_delete(*, survey: Survey, actor, question: Question) -> None:
    require_editor(actor, survey)
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        if Question.objects.filter(survey=survey, show_if__question=question.key).exists():
            raise ValidationError(
                _("Another question is shown only after this one: change it first.")
            )
        question.delete()
        _touch(survey)


def _ordered(survey: Survey) -> list[Question]:
    """Questions as respondents see them: outside sections first, then section by section."""
    sections = {s.pk: i for i, s in enumerate(survey.sections.all())}
    questions = list(Question.objects.filter(survey=survey))
    questions.sort(
        key=lambda q: (
            -1 if q.section_id is None else sections.get(q.section_id, 0),
            q.position,
            q.pk,
        )
    )
    return questions


def question_move(*, survey: Survey, actor, question: Question, direction: int) -> None:
    """Up (-1) or down (+1) among its section's questions; a condition stays after the
    question it depends on (else a clear error)."""
    require_editor(actor, survey)
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        ordered = _ordered(survey)
        group = [q for q in ordered if q.section_id == question.section_id]
        index = next(i for i, q in enumerate(group) if q.pk == question.pk)
        other_index = index + direction
        if not 0 <= other_index < len(group):
            return
        first, second = sorted([group[index], group[other_index]], key=lambda q: group.index(q))
        if second.show_if.get("question") == first.key:
            raise ValidationError(
                _("“%(key)s” is shown only after “%(first)s”: it must stay after it.")
                % {"key": second.key, "first": first.key}
            )
        group[index], group[other_index] = group[other_index], group[index]
        _renumber(survey, [q for q in ordered if q.section_id != question.section_id], group)
        _touch(survey)


def _renumber(survey: Survey, others: list[Question], group: list[Question]) -> None:
    sections = {s.pk: i for i, s in enumerate(survey.sections.all())}
    every = others + group
    every.sort(key=lambda q: -1 if q.section_id is None else sections.get(q.section_id, 0))
    # stable sort keeps each group's new order
    for position, q in enumerate(every):
        q.position = position
    Question.objects.bulk_update(every, ["position"])


def survey_reorder(*, survey: Survey, actor, order: list[str]) -> None:
    """The whole editor's order at once (a drag in the browser): `order` names every
    section ("s<id>") and every question ("q<id>") of the survey exactly once; questions
    before the first section are outside any section, the others belong to the section
    they follow. Checked under the survey's row lock against the questions as they are
    then, so a concurrent reorder or edit is either seen whole or refused, never mixed."""
    require_editor(actor, survey)
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        sections = {s.pk: s for s in Section.objects.filter(survey=survey)}
        questions = {q.pk: q for q in Question.objects.filter(survey=survey)}
        placed_sections: list[Section] = []
        placed_questions: list[Question] = []
        section = None
        for token in order:
            kind, number = token[:1], token[1:]
            pk = int(number) if number.isdigit() else None
            if kind == "s" and pk in sections:
                section = sections.pop(pk)
                placed_sections.append(section)
            elif kind == "q" and pk in questions:
                question = questions.pop(pk)
                question.section = section
                placed_questions.append(question)
            else:  # unknown, another survey's, or named twice
                raise ValidationError(_("The survey changed meanwhile: reload the page."))
        if sections or questions:
            raise ValidationError(_("The survey changed meanwhile: reload the page."))
        _require_conditions_after(placed_questions)
        for position, s in enumerate(placed_sections):
            s.position = position
        for position, q in enumerate(placed_questions):
            q.position = position
        Section.objects.bulk_update(placed_sections, ["position"])
        Question.objects.bulk_update(placed_questions, ["section", "position"])
        _touch(survey)


def section_save(
    *, survey: Survey, actor, title: dict[str, str], section: Section | None = None
) -> Section:
    """Add a section, or rename one: not once answered. A new section is a change of
    structure, and a title frames the questions under it, so, like a question's text
    (question_save), it is part of what people answered: a copy is the way to change it."""
    require_editor(actor, survey)
    title = {c: t.strip() for c, t in title.items() if t and t.strip()}
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        if section is None:
            position = survey.sections.count()
            section = Section.objects.create(survey=survey, title=title, position=position)
        else:
            section.title = title
            section.save(update_fields=["title"])
        _touch(survey)
    return section


def section_delete(*, survey: Survey, actor, section: Section) -> None:
    """Its questions stay, outside any section (so they move: not once answered)."""
    require_editor(actor, survey)
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        section.delete()
        _touch(survey)


def section_move(*, survey: Survey, actor, section: Section, direction: int) -> None:
    require_editor(actor, survey)
    with transaction.atomic():
        _lock_questions(survey)
        _require_unanswered(survey)
        sections = list(survey.sections.all())
        index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
        other = index + direction
        if not 0 <= other < len(sections):
            return
        sections[index], sections[other] = sections[other], sections[index]
        # A condition must still come after its question once the sections swap.
        for position, s in enumerate(sections):
            s.position = position
        Section.objects.bulk_update(sections, ["position"])
        _require_conditions_after(_ordered(survey))
        _touch(survey)


def _require_conditions_after(questions: list[Question]) -> None:
    """A question shown only after another's answer must come after it (in this order)."""
    keys = [q.key for q in questions]
    for q in questions:
        target = q.show_if.get("question")
        if target in keys and keys.index(target) > keys.index(q.key):
            raise ValidationError(
                _("“%(key)s” is shown only after “%(first)s”: it must stay after it.")
                % {"key": q.key, "first": target}
            )


# --- opening and closing ------------------------------------------------------------


def survey_open(*, survey: Survey, actor, public_link: bool = False) -> Survey:
    """Open for answers now (or at its opening time); optionally with a public link."""
    require_editor(actor, survey)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.questions.exists():
            raise ValidationError(_("Add a question before opening the survey."))
        if survey.closes_at is not None and survey.closes_at <= now():
            raise ValidationError({"closes_at": _("The closing time has passed: set a later one.")})
        if not survey.respondent_salt:
            if survey.anonymous and survey.responses.exists():
                # The close wiped the salt that keyed these responses: a new one would let
                # everyone answer a second time, and the old keys cannot be recomputed
                # (that is the point of wiping). So an answered anonymous survey stays
                # closed once closed; a copy runs it again.
                raise ValidationError(
                    _(
                        "This anonymous survey was closed after people answered: it cannot "
                        "reopen, or everyone could answer twice. Copy it to run it again."
                    )
                )
            survey.respondent_salt = new_salt()
        survey.status = Survey.Status.OPEN
        if public_link and not survey.public_token:
            survey.public_token = new_token()
        survey.updated_at = now()
        survey.save()
    return survey


def survey_public_link_set(*, survey: Survey, actor, enabled: bool, members_only: bool) -> Survey:
    require_editor(actor, survey)
    with transaction.atomic():
        survey.public_token = (survey.public_token or new_token()) if enabled else None
        survey.public_members_only = members_only
        survey.updated_at = now()
        survey.save(update_fields=["public_token", "public_members_only", "updated_at"])
    return survey


def survey_close(*, survey: Survey, actor=None, at: datetime | None = None) -> bool:
    """Close it (the author, or the beat task at its closing time: `actor` None). The
    salt that tied anonymous responses to their respondents is wiped: changing answers is
    over, and nobody can trace one any more. The author is told once."""
    from surveys.services.distribution import notify_closed

    if actor is not None:
        require_editor(actor, survey)
    at = at or now()
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status == Survey.Status.CLOSED:
            return False
        locked.status = Survey.Status.CLOSED
        if locked.closes_at is None or locked.closes_at > at:
            locked.closes_at = at
        if locked.anonymous:
            locked.respondent_salt = ""
        locked.updated_at = at
        locked.save()
        notify_closed(locked)
    survey.status, survey.closes_at = locked.status, locked.closes_at
    return True


def survey_results_publish(*, survey: Survey, actor, published: bool) -> Survey:
    require_editor(actor, survey)
    Survey.objects.filter(pk=survey.pk).update(results_published=published, updated_at=now())
    survey.results_published = published
    return survey


def answer_hide(*, survey: Survey, actor, answer_id: int, hidden: bool = True) -> bool:
    """Hide an abusive free-text answer from the results (and the published page)."""
    from surveys.models import Answer

    require_editor(actor, survey)
    return bool(Answer.objects.filter(pk=answer_id, question__survey=survey).update(hidden=hidden))

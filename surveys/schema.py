"""The survey file: one JSON format for export, import and copy (see the README).

`survey_spec_read` checks a whole document before anything is written and returns a
plain description (`SurveySpec`); each problem names where it is ("questions[2].options[0]
.key") and why. `survey_spec_of` turns a stored survey back into the same document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.languages import CONTENT_LANGUAGES

TYPES = ("single", "multiple", "text", "long_text", "number", "scale", "matrix", "date", "country")
CHOICE_TYPES = ("single", "multiple", "matrix")
KEY = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
OTHER_KEY = "_other"  # the "other, please specify" choice of a question that offers it
MAX_QUESTIONS = 300
MAX_OPTIONS = 200
MAX_TEXT = 2000

Texts = dict[str, str]


@dataclass
class OptionSpec:
    key: str
    text: Texts


@dataclass
class QuestionSpec:
    key: str
    type: str
    text: Texts
    help: Texts = field(default_factory=dict)
    required: bool = False
    randomize: bool = False
    other: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    min_label: Texts = field(default_factory=dict)
    max_label: Texts = field(default_factory=dict)
    options: list[OptionSpec] = field(default_factory=list)
    rows: list[OptionSpec] = field(default_factory=list)
    show_if: dict[str, str] = field(default_factory=dict)


@dataclass
class SectionSpec:
    title: Texts
    questions: list[QuestionSpec]


@dataclass
class SurveySpec:
    title: Texts
    intro: Texts
    anonymous: bool
    loose: list[QuestionSpec]  # questions outside any section (shown first)
    sections: list[SectionSpec]

    @property
    def questions(self) -> list[QuestionSpec]:
        return self.loose + [q for s in self.sections for q in s.questions]


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)


def _texts(value: Any, where: str, problems: _Problems, *, required: bool) -> Texts:
    if value is None or value == "":
        if required:
            problems.add(where, _("a text is required."))
        return {}
    if isinstance(value, str):  # a plain string is the English text
        value = {"en": value}
    if not isinstance(value, dict):
        problems.add(where, _('expected an object of texts per language, like {"en": "…"}.'))
        return {}
    texts: Texts = {}
    for code, text in value.items():
        if code not in CONTENT_LANGUAGES:
            problems.add(where, _("unknown language %(code)s.") % {"code": code})
            continue
        if not isinstance(text, str):
            problems.add(f"{where}.{code}", _("expected a text."))
            continue
        if len(text) > MAX_TEXT:
            problems.add(f"{where}.{code}", _("longer than %(n)d characters.") % {"n": MAX_TEXT})
            continue
        if text.strip():
            texts[code] = text.strip()
    if required and not texts:
        problems.add(where, _("a text is required."))
    return texts


def _key(value: Any, where: str, problems: _Problems) -> str:
    if not isinstance(value, str) or not KEY.match(value) or value == OTHER_KEY:
        problems.add(
            where,
            _("a key is 1–60 letters, digits, “-” or “_” (and not “%(other)s”).")
            % {"other": OTHER_KEY},
        )
        return ""
    return value


def _number(value: Any, where: str, problems: _Problems) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        problems.add(where, _("expected a number."))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.add(where, _("expected a number."))
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        problems.add(where, _("expected a number."))
        return None
    return number


def _options(value: Any, where: str, problems: _Problems) -> list[OptionSpec]:
    if not isinstance(value, list) or not value:
        problems.add(where, _("at least one option is required."))
        return []
    if len(value) > MAX_OPTIONS:
        problems.add(where, _("at most %(n)d options.") % {"n": MAX_OPTIONS})
        return []
    options, seen = [], set()
    for index, raw in enumerate(value):
        here = f"{where}[{index}]"
        if not isinstance(raw, dict):
            problems.add(here, _("expected an object with a key and a text."))
            continue
        key = _key(raw.get("key"), f"{here}.key", problems)
        if key in seen:
            problems.add(f"{here}.key", _("the key %(key)s is used twice.") % {"key": key})
        seen.add(key)
        options.append(
            OptionSpec(key, _texts(raw.get("text"), f"{here}.text", problems, required=True))
        )
    return options


def _question(raw: Any, where: str, problems: _Problems) -> QuestionSpec | None:
    if not isinstance(raw, dict):
        problems.add(where, _("expected a question object."))
        return None
    kind = raw.get("type")
    if kind not in TYPES:
        problems.add(
            f"{where}.type", _("the type must be one of %(types)s.") % {"types": ", ".join(TYPES)}
        )
        return None
    spec = QuestionSpec(
        key=_key(raw.get("key"), f"{where}.key", problems),
        type=kind,
        text=_texts(raw.get("text"), f"{where}.text", problems, required=True),
        help=_texts(raw.get("help"), f"{where}.help", problems, required=False),
        required=bool(raw.get("required", False)),
        randomize=bool(raw.get("randomize", False)),
        other=bool(raw.get("other", False)) and kind in ("single", "multiple"),
        min=_number(raw.get("min"), f"{where}.min", problems),
        max=_number(raw.get("max"), f"{where}.max", problems),
        min_label=_texts(raw.get("min_label"), f"{where}.min_label", problems, required=False),
        max_label=_texts(raw.get("max_label"), f"{where}.max_label", problems, required=False),
    )
    if kind in CHOICE_TYPES:
        spec.options = _options(raw.get("options"), f"{where}.options", problems)
    if kind == "matrix":
        spec.rows = _options(raw.get("rows"), f"{where}.rows", problems)
    if kind == "scale":
        spec.min = Decimal(1) if spec.min is None else spec.min
        spec.max = Decimal(5) if spec.max is None else spec.max
        if spec.min != spec.min.to_integral_value() or spec.max != spec.max.to_integral_value():
            problems.add(where, _("a scale runs between whole numbers."))
        elif not (0 <= spec.min < spec.max <= spec.min + 10):
            problems.add(where, _("a scale runs from 0 or more to at most 10 steps higher."))
    if spec.min is not None and spec.max is not None and spec.min > spec.max:
        problems.add(where, _("min is greater than max."))
    show_if = raw.get("show_if")
    if show_if:
        if (
            not isinstance(show_if, dict)
            or not isinstance(show_if.get("question"), str)
            or not isinstance(show_if.get("equals"), str)
        ):
            problems.add(
                f"{where}.show_if", _('expected {"question": "<key>", "equals": "<option key>"}.')
            )
        else:
            spec.show_if = {"question": show_if["question"], "equals": show_if["equals"]}
    return spec


def _check_conditions(questions: list[QuestionSpec], problems: _Problems) -> None:
    """A condition names an earlier single or multiple choice question and one of its
    options (so a survey's conditions can never loop)."""
    earlier: dict[str, QuestionSpec] = {}
    for index, question in enumerate(questions):
        condition = question.show_if
        if condition:
            target = earlier.get(condition["question"])
            where = f"{question.key or index}.show_if"
            if target is None or target.type not in ("single", "multiple"):
                problems.add(
                    where,
                    _("it must name an earlier single or multiple choice question."),
                )
            else:
                keys = {o.key for o in target.options} | ({OTHER_KEY} if target.other else set())
                if condition["equals"] not in keys:
                    problems.add(
                        where,
                        _("%(value)s is not an option of %(question)s.")
                        % {"value": condition["equals"], "question": target.key},
                    )
        earlier[question.key] = question


def survey_spec_read(document: Any) -> SurveySpec:
    """Check a parsed document; raise ValidationError listing every problem."""
    problems = _Problems()
    if not isinstance(document, dict):
        raise ValidationError(_("The file must hold one JSON object (a survey)."))
    title = _texts(document.get("title"), "title", problems, required=True)
    intro = _texts(document.get("intro"), "intro", problems, required=False)
    loose_raw = document.get("questions", [])
    sections_raw = document.get("sections", [])
    if not isinstance(loose_raw, list) or not isinstance(sections_raw, list):
        raise ValidationError(_("“questions” and “sections” must be lists."))
    loose = [
        q
        for index, raw in enumerate(loose_raw)
        if (q := _question(raw, f"questions[{index}]", problems)) is not None
    ]
    sections = []
    for s_index, raw_section in enumerate(sections_raw):
        where = f"sections[{s_index}]"
        if not isinstance(raw_section, dict) or not isinstance(
            raw_section.get("questions", []), list
        ):
            problems.add(where, _("expected a section with a title and a list of questions."))
            continue
        questions = [
            q
            for index, raw in enumerate(raw_section.get("questions", []))
            if (q := _question(raw, f"{where}.questions[{index}]", problems)) is not None
        ]
        title_texts = _texts(raw_section.get("title"), f"{where}.title", problems, required=False)
        sections.append(SectionSpec(title_texts, questions))
    spec = SurveySpec(
        title=title,
        intro=intro,
        anonymous=bool(document.get("anonymous", False)),
        loose=loose,
        sections=sections,
    )
    all_questions = spec.questions
    if not all_questions and not problems.items:
        problems.add("questions", _("a survey needs at least one question."))
    if len(all_questions) > MAX_QUESTIONS:
        problems.add("questions", _("at most %(n)d questions.") % {"n": MAX_QUESTIONS})
    seen: set[str] = set()
    for question in all_questions:
        if question.key and question.key in seen:
            problems.add(question.key, _("the question key is used twice."))
        seen.add(question.key)
    _check_conditions(all_questions, problems)
    if problems.items:
        raise ValidationError(problems.items)
    return spec


def survey_spec_parse(raw: bytes | str) -> SurveySpec:
    """Bytes or text of a file → a checked spec (a clear error for broken JSON)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        document = json.loads(text)
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from None
    return survey_spec_read(document)


def _number_out(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def question_document(question) -> dict[str, Any]:
    """A stored Question (options prefetched) as the format writes it."""
    out: dict[str, Any] = {"key": question.key, "type": question.type, "text": question.text}
    if question.help:
        out["help"] = question.help
    if question.required:
        out["required"] = True
    if question.randomize:
        out["randomize"] = True
    if question.allow_other:
        out["other"] = True
    if question.min_value is not None:
        out["min"] = _number_out(question.min_value)
    if question.max_value is not None:
        out["max"] = _number_out(question.max_value)
    if question.min_label:
        out["min_label"] = question.min_label
    if question.max_label:
        out["max_label"] = question.max_label
    if question.type in CHOICE_TYPES:
        out["options"] = [{"key": o.key, "text": o.text} for o in question.options.all()]
    if question.type == "matrix":
        out["rows"] = list(question.rows)
    if question.show_if:
        out["show_if"] = dict(question.show_if)
    return out


def survey_document(survey) -> dict[str, Any]:
    """The export: sections and questions in order (two queries with the prefetch)."""
    from surveys.models import Question

    questions = list(
        Question.objects.filter(survey=survey)
        .prefetch_related("options")
        .order_by("position", "id")
    )
    sections = list(survey.sections.all())
    document: dict[str, Any] = {"format": "baraza-survey/1", "title": survey.title}
    if survey.intro:
        document["intro"] = survey.intro
    document["anonymous"] = survey.anonymous
    document["questions"] = [question_document(q) for q in questions if q.section_id is None]
    if sections:
        document["sections"] = [
            {
                "title": section.title,
                "questions": [
                    question_document(q) for q in questions if q.section_id == section.pk
                ],
            }
            for section in sections
        ]
    return document

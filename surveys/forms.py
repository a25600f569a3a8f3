"""The respondent's form, built from the survey's questions, and the authoring forms.

Each question is one field named `q_<key>` (a matrix: one per row, `q_<key>__<row>`; the
"other, please specify" text: `q_<key>__other`). Fields are optional to Django: whether a
question is required depends on whether it is shown, which only the answers decide, so
`clean()` evaluates every condition on the server (whatever the browser sent or hid),
drops answers to hidden questions, and requires the shown required ones on submit.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core.languages import CONTENT_LANGUAGES, pick
from core.zones import is_valid_zone
from surveys.models import Question
from surveys.schema import OTHER_KEY, TYPES

T = Question.Type


def text_of(texts: dict[str, str], language: str) -> str:
    return pick(texts or {}, language).text


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class ShownQuestion:
    """What the template draws for one question (its field name(s), texts, choices)."""

    question: Question
    name: str
    id: str
    text: str
    help: str
    condition: str
    choices: list[Choice] = field(default_factory=list)
    rows: list[tuple[str, str, str, list[Choice]]] = field(
        default_factory=list
    )  # name, id, text, choices
    min_label: str = ""
    max_label: str = ""
    value: Any = ""
    other_value: str = ""
    other_name: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.question.type


def _seeded(items: list, seed: str) -> list:
    items = list(items)
    random.Random(hashlib.sha256(seed.encode()).hexdigest()).shuffle(items)
    return items


def _scale_values(question: Question) -> list[int]:
    low = int(question.min_value if question.min_value is not None else 1)
    high = int(question.max_value if question.max_value is not None else 5)
    return list(range(low, high + 1))


class SurveyForm(forms.Form):
    """`questions` with options prefetched, in the order shown."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        language: str,
        seed: str = "",
        submit: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        self.seed = seed
        self.submit = submit
        self.by_key = {q.key: q for q in questions}
        for q in questions:
            self._add_fields(q)

    def _option_choices(self, q: Question) -> list[tuple[str, str]]:
        choices = [(o.key, text_of(o.text, self.language)) for o in q.options.all()]
        if q.randomize:
            choices = _seeded(choices, f"{self.seed}:{q.key}")
        if q.allow_other:
            choices.append((OTHER_KEY, _("Other, please specify")))
        return choices

    def _add_fields(self, q: Question) -> None:
        name = f"q_{q.key}"
        label = text_of(q.text, self.language)
        common: dict[str, Any] = {"required": False, "label": label}
        if q.type == T.SINGLE:
            self.fields[name] = forms.ChoiceField(
                choices=self._option_choices(q), widget=forms.RadioSelect, **common
            )
        elif q.type == T.MULTIPLE:
            self.fields[name] = forms.MultipleChoiceField(
                choices=self._option_choices(q), widget=forms.CheckboxSelectMultiple, **common
            )
        elif q.type == T.TEXT:
            self.fields[name] = forms.CharField(max_length=500, **common)
        elif q.type == T.LONG_TEXT:
            self.fields[name] = forms.CharField(max_length=10000, widget=forms.Textarea, **common)
        elif q.type == T.NUMBER:
            self.fields[name] = forms.DecimalField(
                max_digits=14,
                decimal_places=2,
                min_value=q.min_value,
                max_value=q.max_value,
                **common,
            )
        elif q.type == T.SCALE:
            values = _scale_values(q)
            self.fields[name] = forms.TypedChoiceField(
                choices=[(str(v), str(v)) for v in values],
                coerce=int,
                widget=forms.RadioSelect,
                **common,
            )
        elif q.type == T.MATRIX:
            choices = [(o.key, text_of(o.text, self.language)) for o in q.options.all()]
            for row in q.rows:
                self.fields[f"{name}__{row['key']}"] = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=False,
                    label=f"{label} — {text_of(row['text'], self.language)}",
                )
        elif q.type == T.DATE:
            self.fields[name] = forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}), **common
            )
        elif q.type == T.COUNTRY:
            self.fields[name] = forms.ChoiceField(choices=[("", "—")] + list(countries), **common)
        if q.allow_other:
            self.fields[f"{name}__other"] = forms.CharField(
                max_length=500, required=False, label=_("Other, please specify")
            )

    # --- conditions, evaluated on the server --------------------------------------------

    def visible_keys(self, values: dict[str, Any]) -> set[str]:
        """Questions shown given `values` (key → answer): a question whose condition's
        question is hidden is hidden too (conditions name earlier questions only)."""
        shown: set[str] = set()
        for q in self.questions:
            condition = q.show_if
            if condition:
                target = condition.get("question")
                answer = values.get(target) if target in shown else None
                chosen = answer if isinstance(answer, list) else [answer]
                if condition.get("equals") not in chosen:
                    continue
            shown.add(q.key)
        return shown

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values: dict[str, Any] = {}
        for q in self.questions:
            name = f"q_{q.key}"
            if q.type == T.MATRIX:
                values[q.key] = {
                    row["key"]: data.get(f"{name}__{row['key']}")
                    for row in q.rows
                    if data.get(f"{name}__{row['key']}")
                }
            else:
                values[q.key] = data.get(name)
        visible = self.visible_keys(values)
        answers: dict[str, Any] = {}
        for q in self.questions:
            name = f"q_{q.key}"
            field_names = [name] if q.type != T.MATRIX else [f"{name}__{r['key']}" for r in q.rows]
            if q.allow_other:
                field_names.append(f"{name}__other")
            if q.key not in visible:
                for n in field_names:  # an answer to a hidden question is dropped, errors too
                    self.errors.pop(n, None)
                continue
            if any(n in self.errors for n in field_names):
                continue
            value = values[q.key]
            other = (data.get(f"{name}__other") or "").strip() if q.allow_other else ""
            chose_other = value == OTHER_KEY or (isinstance(value, list) and OTHER_KEY in value)
            if chose_other and not other:
                self.add_error(f"{name}__other", _("Say what the other answer is."))
                continue
            if not chose_other:
                other = ""
            empty = value in (None, "", [], {})
            if q.type == T.MATRIX and self.submit and q.required and len(value) < len(q.rows):
                missing = next(r["key"] for r in q.rows if r["key"] not in value)
                self.add_error(f"{name}__{missing}", _("Answer every row of this question."))
                continue
            if empty:
                if self.submit and q.required:
                    self.add_error(name, _("This question needs an answer."))
                continue
            if isinstance(value, str) and q.type in (T.TEXT, T.LONG_TEXT):
                value = value.strip()
            answers[q.key] = (value, other)
        self.answers = answers
        return data

    # --- for the template -------------------------------------------------------------

    def shown(self) -> list[ShownQuestion]:
        out = []
        for q in self.questions:
            name = f"q_{q.key}"
            condition = ""
            if q.show_if:
                target = self.by_key.get(q.show_if.get("question", ""))
                if target is not None:
                    option = next(
                        (o for o in target.options.all() if o.key == q.show_if.get("equals")), None
                    )
                    option_text = (
                        text_of(option.text, self.language)
                        if option
                        else _("Other, please specify")
                    )
                    condition = _("Answer only if you answered “%(option)s” to “%(question)s”.") % {
                        "option": option_text,
                        "question": text_of(target.text, self.language),
                    }
            item = ShownQuestion(
                question=q,
                name=name,
                id=f"id_{name}",
                text=text_of(q.text, self.language),
                help=text_of(q.help, self.language),
                condition=condition,
                min_label=text_of(q.min_label, self.language),
                max_label=text_of(q.max_label, self.language),
            )
            if q.type == T.MATRIX:
                for row in q.rows:
                    row_name = f"{name}__{row['key']}"
                    bound = self[row_name]
                    current = bound.value()
                    item.rows.append(
                        (
                            row_name,
                            f"id_{row_name}",
                            text_of(row["text"], self.language),
                            [
                                Choice(v, lbl, f"id_{row_name}_{i}", str(current) == v)
                                for i, (v, lbl) in enumerate(bound.field.choices)
                            ],
                        )
                    )
                    item.errors.extend(self.errors.get(row_name, []))
            else:
                bound = self[name]
                current = bound.value()
                item.value = "" if current is None else current
                item.errors = list(self.errors.get(name, []))
                if q.type in (T.SINGLE, T.MULTIPLE, T.SCALE):
                    chosen = current if isinstance(current, list) else [current]
                    chosen = [str(c) for c in chosen if c not in (None, "")]
                    item.choices = [
                        Choice(str(v), str(lbl), f"{item.id}_{i}", str(v) in chosen)
                        for i, (v, lbl) in enumerate(bound.field.choices)
                    ]
                if q.type == T.COUNTRY:
                    item.choices = [
                        Choice(str(v), str(lbl), "", str(v) == str(current))
                        for v, lbl in bound.field.choices
                    ]
            if q.allow_other:
                item.other_name = f"{name}__other"
                item.other_value = self[item.other_name].value() or ""
                item.errors.extend(self.errors.get(item.other_name, []))
            out.append(item)
        return out


def initial_from_answers(questions: list[Question], answers) -> dict[str, Any]:
    """A saved response's answers as the form's initial values."""
    by_id = {q.pk: q for q in questions}
    options = {o.pk: o.key for q in questions for o in q.options.all()}
    initial: dict[str, Any] = {}
    for a in answers:
        q = by_id.get(a.question_id)
        if q is None:
            continue
        name = f"q_{q.key}"
        if q.type == T.MULTIPLE:
            initial.setdefault(name, []).append(OTHER_KEY if a.other else options.get(a.option_id))
            if a.other:
                initial[f"{name}__other"] = a.text
        elif q.type == T.SINGLE:
            initial[name] = OTHER_KEY if a.other else options.get(a.option_id)
            if a.other:
                initial[f"{name}__other"] = a.text
        elif q.type == T.MATRIX:
            initial[f"{name}__{a.row}"] = options.get(a.option_id)
        elif q.type == T.SCALE:
            initial[name] = str(int(a.number)) if a.number is not None else ""
        elif q.type == T.NUMBER:
            initial[name] = a.number.normalize() if isinstance(a.number, Decimal) else a.number
        elif q.type == T.DATE:
            initial[name] = a.date
        else:
            initial[name] = a.text
    return initial


# --- authoring -----------------------------------------------------------------------------


def _language_fields(
    prefix: str, label, *, required_en: bool = False, textarea: bool = False, max_length: int = 2000
):
    fields = {}
    for code in CONTENT_LANGUAGES:
        fields[f"{prefix}_{code}"] = forms.CharField(
            label=f"{label} ({code})",
            required=required_en and code == "en",
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput,
        )
    return fields


class SurveyCreateForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            _language_fields("title", gettext_lazy("Title"), required_en=True, max_length=300)
        )
        self.fields["anonymous"] = forms.BooleanField(
            label=gettext_lazy("Anonymous: no response can be traced to a person"), required=False
        )

    def texts(self, prefix: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{prefix}_{code}", "") for code in CONTENT_LANGUAGES}


class SurveySettingsForm(SurveyCreateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_language_fields("intro", gettext_lazy("Introduction"), textarea=True))
        self.fields["zone"] = forms.CharField(
            label=gettext_lazy("Time zone of the times below"), max_length=64
        )
        self.fields["opens_at"] = forms.DateTimeField(
            label=gettext_lazy("Opens (in that time zone)"),
            required=False,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )
        self.fields["closes_at"] = forms.DateTimeField(
            label=gettext_lazy("Closes (in that time zone)"),
            required=False,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        )

    def clean_zone(self) -> str:
        zone = self.cleaned_data["zone"].strip()
        if not is_valid_zone(zone):
            raise forms.ValidationError(_("Choose a time zone such as Africa/Nairobi."))
        return zone


class SectionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_language_fields("title", gettext_lazy("Section title"), max_length=300))


def _lines_help() -> str:
    return _("One per line: key | English | Spanish | French (Spanish and French may be left out).")


class QuestionForm(forms.Form):
    """One question in three languages; options and rows as lines `key | en | es | fr`."""

    def __init__(self, *args, sections=(), earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"] = forms.SlugField(
            label=gettext_lazy("Key (stable, used in exports)"), max_length=60
        )
        self.fields["type"] = forms.ChoiceField(
            label=gettext_lazy("Type"), choices=Question.Type.choices
        )
        self.fields["section"] = forms.TypedChoiceField(
            label=gettext_lazy("Section"),
            choices=[("", _("No section"))]
            + [(str(s.pk), text_of(s.title, "en") or f"#{i + 1}") for i, s in enumerate(sections)],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields.update(_language_fields("text", gettext_lazy("Question"), required_en=True))
        self.fields.update(_language_fields("help", gettext_lazy("Help text"), textarea=True))
        self.fields["required"] = forms.BooleanField(label=gettext_lazy("Required"), required=False)
        self.fields["randomize"] = forms.BooleanField(
            label=gettext_lazy("Randomise the order of options"), required=False
        )
        self.fields["other"] = forms.BooleanField(
            label=gettext_lazy("Offer “other, please specify”"), required=False
        )
        self.fields["options"] = forms.CharField(
            label=gettext_lazy("Options (choice, matrix columns)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_lines_help(),
        )
        self.fields["rows"] = forms.CharField(
            label=gettext_lazy("Matrix rows"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_lines_help(),
        )
        self.fields["min"] = forms.DecimalField(label=gettext_lazy("Minimum"), required=False)
        self.fields["max"] = forms.DecimalField(label=gettext_lazy("Maximum"), required=False)
        self.fields.update(
            _language_fields("min_label", gettext_lazy("Label of the lowest value"), max_length=200)
        )
        self.fields.update(
            _language_fields(
                "max_label", gettext_lazy("Label of the highest value"), max_length=200
            )
        )
        self.fields["show_if"] = forms.ChoiceField(
            label=gettext_lazy("Show only if"),
            required=False,
            choices=[("", _("Always shown"))]
            + [
                (f"{q.key}={o.key}", f"{text_of(q.text, 'en')} = {text_of(o.text, 'en')}")
                for q in earlier
                if q.type in (T.SINGLE, T.MULTIPLE)
                for o in q.options.all()
            ],
        )

    @staticmethod
    def _lines(text: str) -> list[dict[str, Any]]:
        items = []
        for line in (text or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            key, texts = parts[0], parts[1:]
            items.append(
                {
                    "key": key,
                    "text": {
                        code: t for code, t in zip(CONTENT_LANGUAGES, texts, strict=False) if t
                    },
                }
            )
        return items

    def document(self) -> dict[str, Any]:
        d = self.cleaned_data
        doc: dict[str, Any] = {
            "key": d["key"],
            "type": d["type"],
            "text": {c: d[f"text_{c}"] for c in CONTENT_LANGUAGES if d.get(f"text_{c}")},
            "help": {c: d[f"help_{c}"] for c in CONTENT_LANGUAGES if d.get(f"help_{c}")},
            "required": d["required"],
            "randomize": d["randomize"],
            "other": d["other"],
            "min_label": {
                c: d[f"min_label_{c}"] for c in CONTENT_LANGUAGES if d.get(f"min_label_{c}")
            },
            "max_label": {
                c: d[f"max_label_{c}"] for c in CONTENT_LANGUAGES if d.get(f"max_label_{c}")
            },
        }
        if d.get("min") is not None:
            doc["min"] = str(d["min"])
        if d.get("max") is not None:
            doc["max"] = str(d["max"])
        if d["type"] in ("single", "multiple", "matrix"):
            doc["options"] = self._lines(d.get("options", ""))
        if d["type"] == "matrix":
            doc["rows"] = self._lines(d.get("rows", ""))
        if d.get("show_if"):
            question, _sep, equals = d["show_if"].partition("=")
            doc["show_if"] = {"question": question, "equals": equals}
        return doc

    @staticmethod
    def initial_of(question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "key": question.key,
            "type": question.type,
            "section": question.section_id,
            "required": question.required,
            "randomize": question.randomize,
            "other": question.allow_other,
            "min": question.min_value,
            "max": question.max_value,
        }
        for prefix, texts in (
            ("text", question.text),
            ("help", question.help),
            ("min_label", question.min_label),
            ("max_label", question.max_label),
        ):
            for code in CONTENT_LANGUAGES:
                initial[f"{prefix}_{code}"] = (texts or {}).get(code, "")

        def lines(items) -> str:
            return "\n".join(
                " | ".join(
                    [item["key"]] + [item["text"].get(c, "") for c in CONTENT_LANGUAGES]
                ).rstrip(" |")
                for item in items
            )

        initial["options"] = lines({"key": o.key, "text": o.text} for o in question.options.all())
        initial["rows"] = lines(question.rows)
        if question.show_if:
            initial["show_if"] = f"{question.show_if['question']}={question.show_if['equals']}"
        return initial


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Survey file (JSON)"))


class EmailListForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("Email addresses, one per line (optionally: address, language)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=200_000,
    )


__all__ = ["TYPES", "SurveyForm"]

"""Reading results: tallies, cross-tabs, free texts, response rate, the CSV rows.

Counts are of submitted responses. Each read is a fixed handful of GROUP BY queries
whatever the number of responses or questions (tests/surveys/test_results.py counts
them). Breakdown cells of fewer than `SMALL_CELL` respondents are never shown as a
number, so a small group's answers cannot be singled out; more cells of the row and of
the column are suppressed where the totals on the page would give one away, and every
suppressed cell looks the same (`suppressed`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from core.languages import pick
from members.models import Language, Organization
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.schema import OTHER_KEY
from webinars.analytics.charts import Chart, drawn_chart
from webinars.analytics.geometry import bar_layout, percent_text
from webinars.regions import REGIONS

T = Question.Type
SMALL_CELL = 5
SUBMITTED = Response.Status.SUBMITTED
DIMENSIONS = ("country", "region", "organization_kind", "language")
CHARTED = (T.SINGLE, T.MULTIPLE, T.SCALE, T.COUNTRY, T.MATRIX)


def _submitted_answers(survey: Survey):
    return Answer.objects.filter(response__survey=survey, response__status=SUBMITTED)


@dataclass
class Tally:
    question: Question
    answered: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # option key (or value) → n
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # matrix: row → option → n
    mean: float | None = None


def questions_in_order(survey: Survey) -> list[Question]:
    from surveys.services.responding import questions_of

    return questions_of(survey)


def _value_key(question: Question, number: Decimal | None, text: str) -> str:
    if question.type == T.SCALE and number is not None:
        return str(int(number))
    return text


def tallies(survey: Survey, questions: list[Question]) -> tuple[int, list[Tally]]:
    """(responses, one Tally per question): five queries whatever the size."""
    total = Response.objects.filter(survey=survey, status=SUBMITTED).count()
    by_id = {q.pk: Tally(q) for q in questions}
    options = {o.pk: o.key for q in questions for o in q.options.all()}
    answers = _submitted_answers(survey)
    for question_id, n in (
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    ):
        if question_id in by_id:
            by_id[question_id].answered = n
    choice = answers.filter(question__type__in=[T.SINGLE, T.MULTIPLE, T.MATRIX])
    for question_id, option_id, row, other, n in (
        choice.values("question_id", "option_id", "row", "other")
        .annotate(n=Count("id"))
        .values_list("question_id", "option_id", "row", "other", "n")
    ):
        tally = by_id.get(question_id)
        if tally is None:
            continue
        key = OTHER_KEY if other else options.get(option_id, "")
        if row:
            tally.rows.setdefault(row, {})[key] = tally.rows.setdefault(row, {}).get(key, 0) + n
        tally.counts[key] = tally.counts.get(key, 0) + n
    valued = answers.filter(question__type__in=[T.SCALE, T.COUNTRY])
    for question_id, number, text, n in (
        valued.values("question_id", "number", "text")
        .annotate(n=Count("id"))
        .values_list("question_id", "number", "text", "n")
    ):
        tally = by_id.get(question_id)
        if tally is not None:
            key = _value_key(tally.question, number, text)
            tally.counts[key] = tally.counts.get(key, 0) + n
    for question_id, mean in (
        answers.filter(question__type__in=[T.NUMBER, T.SCALE])
        .values("question_id")
        .annotate(mean=Avg("number"))
        .values_list("question_id", "mean")
    ):
        if question_id in by_id and mean is not None:
            by_id[question_id].mean = round(float(mean), 2)
    for tally in by_id.values():
        q = tally.question
        if q.type in (T.SINGLE, T.MULTIPLE, T.MATRIX):  # every option, 0 included, in order
            ordered = {o.key: tally.counts.get(o.key, 0) for o in q.options.all()}
            if q.allow_other:
                ordered[OTHER_KEY] = tally.counts.get(OTHER_KEY, 0)
            tally.counts = ordered
        elif q.type == T.SCALE:
            low = int(q.min_value if q.min_value is not None else 1)
            high = int(q.max_value if q.max_value is not None else 5)
            tally.counts = {str(v): tally.counts.get(str(v), 0) for v in range(low, high + 1)}
        elif q.type == T.COUNTRY:
            tally.counts = dict(sorted(tally.counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return total, [by_id[q.pk] for q in questions]


def results_document(survey: Survey) -> dict[str, Any]:
    """The JSON results (the `survey_results --json` contract)."""
    questions = questions_in_order(survey)
    total, items = tallies(survey, questions)
    out = []
    for tally in items:
        entry: dict[str, Any] = {
            "key": tally.question.key,
            "type": tally.question.type,
            "answered": tally.answered,
            "counts": tally.counts if tally.question.type in CHARTED else {},
        }
        if tally.question.type == T.MATRIX:
            entry["rows"] = tally.rows
        if tally.question.type in (T.NUMBER, T.SCALE):
            entry["mean"] = tally.mean
        out.append(entry)
    return {"responses": total, "questions": out}


# --- what the page shows --------------------------------------------------------------------


def _label(
    question: Question, key: str, language: str, option_texts: dict[tuple[int, str], dict]
) -> str:
    if key == OTHER_KEY:
        return _("Other")
    if question.type == T.COUNTRY:
        return str(countries.name(key)) or key
    if question.type == T.SCALE:
        return key
    return pick(option_texts.get((question.pk, key), {}), language).text or key


def option_texts(questions: list[Question]) -> dict[tuple[int, str], dict]:
    return {(q.pk, o.key): o.text for q in questions for o in q.options.all()}


def tally_chart(tally: Tally, language: str, texts: dict) -> Chart:
    """Bars of each option's share of those who answered, the counts in the table beside."""
    q = tally.question
    return _share_chart(
        q, f"q-{q.key}", pick(q.text, language).text, tally.counts, tally.answered, language, texts
    )


def matrix_charts(tally: Tally, language: str, texts: dict) -> list[Chart]:
    """A matrix question: one chart (and table) per row, of the scale's shares among those
    who answered that row (each respondent answers a row once)."""
    q = tally.question
    charts = []
    for row in q.rows:
        found = tally.rows.get(row["key"], {})
        counts = {o.key: found.get(o.key, 0) for o in q.options.all()}
        charts.append(
            _share_chart(
                q,
                f"q-{q.key}-{row['key']}",
                pick(row["text"], language).text,
                counts,
                sum(counts.values()),
                language,
                texts,
            )
        )
    return charts


def _share_chart(
    q: Question,
    chart_id: str,
    title: str,
    counts: dict[str, int],
    base: int,
    language: str,
    texts: dict,
) -> Chart:
    labels = [(key, _label(q, key, language, texts), n) for key, n in counts.items()]
    layout = bar_layout(
        [(label, (n / base) if base else None, f"{n}") for _key, label, n in labels]
    )
    return drawn_chart(
        chart_id,
        title,
        layout,
        header=[_("Answer"), _("Responses"), _("Share of those who answered")],
        rows=[[label, n, percent_text(n / base if base else None)] for _key, label, n in labels],
    )


def dimension_label(dimension: str, value: str) -> str:
    if not value:
        return _("Not known")
    if dimension == "country":
        return str(countries.name(value)) or value
    if dimension == "region":
        return str(REGIONS[value][0]) if value in REGIONS else value
    if dimension == "organization_kind":
        return str(dict(Organization.Kind.choices).get(value, value))
    if dimension == "language":
        return str(dict(Language.choices).get(value, value))
    return value


def dimension_names() -> dict[str, str]:
    return {
        "country": _("Country"),
        "region": _("Region"),
        "organization_kind": _("Kind of organization"),
        "language": _("Language"),
    }


@dataclass
class CrossTab:
    question: Question
    title: str
    columns: list[str]
    rows: list[tuple[str, list[int | None]]]  # option label, cells (None: suppressed)
    anchor: str = ""  # the page's id for it: the question's key, "<key>-<row>" for a matrix row


BY_QUESTION_TYPES = (T.SINGLE, T.MULTIPLE, T.COUNTRY, T.MATRIX)
TABBED_TYPES = (T.SINGLE, T.MULTIPLE, T.SCALE, T.MATRIX)


def by_question_choices(questions: list[Question], language: str) -> list[tuple[str, str]]:
    """What a breakdown may be by, besides the respondent attributes: ("<key>", its text)
    per choice or country question, ("<key>:<row>", "text — row") per matrix row."""
    choices = []
    for q in questions:
        text = pick(q.text, language).text
        if q.type == T.MATRIX:
            choices += [
                (f"{q.key}:{row['key']}", f"{text} — {pick(row['text'], language).text}")
                for row in q.rows
            ]
        elif q.type in BY_QUESTION_TYPES:
            choices.append((q.key, text))
    return choices


def _by_question(questions: list[Question], by: str) -> tuple[Question, str] | None:
    """The question (and matrix row, else "") a `by` of "q:<key>" or "q:<key>:<row>" names."""
    key, _sep, row = by[2:].partition(":")
    question = next((q for q in questions if q.key == key), None)
    if question is None or question.type not in BY_QUESTION_TYPES:
        return None
    if (question.type == T.MATRIX) != bool(row):
        return None
    if row and row not in {r["key"] for r in question.rows}:
        return None
    return question, row


def suppressed(table: list[list[int]]) -> list[list[int | None]]:
    """The cells of one breakdown (a row per answer, a column per group) as shown: a
    count, or None for a suppressed cell. Every suppressed cell is shown the same way:
    two labels ("fewer than 5", "hidden") told a reader which cells were 1 to 4.

    Cells of 1 to 4 are suppressed. Both margins are on the page: a row's total is that
    answer's tally, and a column's total is the group's tally when the breakdown is by
    another answer (or a matrix row), or the sum of any fully shown column of a question
    everyone answered when it is by a respondent attribute. So a line (row or column)
    with a suppressed cell needs at least two, not all 0, or subtraction gives them
    away. Such a line also suppresses its smallest other non-zero cell, or failing one a
    0 (a lone small cell among zeros would be its answer's tally; hidden, a 0 no longer
    reads as 0). Never a cell its crossing line gives away whatever else is hidden: the
    only cell of that line, or a 0 in a line of zeros (its total is 0). Suppressing in
    one line can expose a crossing line, so this repeats until nothing changes. Each
    pass looks at every row and column against the same suppressed set and breaks ties
    by position along the line, so a table and its transpose (Q by R, R by Q) suppress
    the same cells. A line with nothing else to suppress stays as it is: its crossing
    lines' totals give its cells anyway (a table whose non-zero cells are all in one row
    or one column)."""
    height, width = len(table), len(table[0]) if table else 0
    rows = [[(r, c) for c in range(width)] for r in range(height)]
    columns = [[(r, c) for r in range(height)] for c in range(width)]
    crossing = {cell: (rows[cell[0]], columns[cell[1]]) for line in rows for cell in line}

    def value(cell: tuple[int, int]) -> int:
        return table[cell[0]][cell[1]]

    def hideable(cell: tuple[int, int], line: list[tuple[int, int]]) -> bool:
        row, column = crossing[cell]
        others = [other for other in (column if line is row else row) if other != cell]
        return bool(others) and (value(cell) > 0 or any(value(other) > 0 for other in others))

    hidden = {
        (r, c) for r, row in enumerate(table) for c, n in enumerate(row) if 0 < n < SMALL_CELL
    }
    while True:
        more = set()
        for line in rows + columns:
            inside = [cell for cell in line if cell in hidden]
            if not inside or (len(inside) > 1 and any(value(cell) > 0 for cell in inside)):
                continue
            # A lone non-zero cell is covered by a 0 as well; hidden zeros need a number.
            zero_will_do = any(value(cell) > 0 for cell in inside)
            others = [
                (value(cell) == 0, value(cell), i, cell)
                for i, cell in enumerate(line)
                if cell not in hidden and (value(cell) > 0 or zero_will_do) and hideable(cell, line)
            ]
            if others:
                more.add(min(others)[3])
        if not more:
            break
        hidden |= more
    return [
        [None if (r, c) in hidden else n for c, n in enumerate(row)] for r, row in enumerate(table)
    ]


def cross_tabs(
    survey: Survey, questions: list[Question], *, by: str, language: str
) -> tuple[str, list[CrossTab]]:
    """Every choice or scale question, and each row of a matrix, broken down by a
    respondent attribute (`by` one of DIMENSIONS) or by another question's answer (`by`
    "q:<key>", or "q:<key>:<row>" for a matrix row): one query. Cells of fewer than five
    respondents are suppressed."""
    texts = option_texts(questions)
    answers = _submitted_answers(survey).filter(question__type__in=TABBED_TYPES)
    counts: dict[tuple[int, str, str, str], int] = defaultdict(int)  # question, row, key, group
    options = {o.pk: o.key for q in questions for o in q.options.all()}
    by_question, by_row = None, ""
    if by in DIMENSIONS:
        column = f"response__{by}"
        title = dimension_names()[by]
        rows = answers.values(
            "question_id", "row", "option_id", "other", "number", column
        ).annotate(n=Count("response_id", distinct=True))
        for row in rows:
            key = (
                OTHER_KEY if row["other"] else options.get(row["option_id"]) or _num(row["number"])
            )
            counts[(row["question_id"], row["row"], key, row[column] or "")] += row["n"]
    elif by.startswith("q:") and (named := _by_question(questions, by)):
        by_question, by_row = named
        title = pick(by_question.text, language).text
        if by_row:
            row_text = next(r["text"] for r in by_question.rows if r["key"] == by_row)
            title = f"{title} — {pick(row_text, language).text}"
        rows = (
            answers.filter(response__answers__question=by_question, response__answers__row=by_row)
            .exclude(question=by_question, row=by_row)
            .values(
                "question_id",
                "row",
                "option_id",
                "other",
                "number",
                "response__answers__option_id",
                "response__answers__other",
                "response__answers__text",
            )
            .annotate(n=Count("response_id", distinct=True))
        )
        for row in rows:
            key = (
                OTHER_KEY if row["other"] else options.get(row["option_id"]) or _num(row["number"])
            )
            if by_question.type == T.COUNTRY:
                group = row["response__answers__text"]
            elif row["response__answers__other"]:
                group = OTHER_KEY
            else:
                group = options.get(row["response__answers__option_id"], "")
            counts[(row["question_id"], row["row"], key, group)] += row["n"]
    else:
        return "", []
    groups = sorted({g for (_q, _r, _k, g) in counts})
    if by_question is not None and by_question.type != T.COUNTRY:
        order = [o.key for o in by_question.options.all()] + [OTHER_KEY]
        groups = sorted(groups, key=lambda g: order.index(g) if g in order else len(order))

    def group_label(g: str) -> str:
        if by_question is not None:
            return _label(by_question, g, language, texts)
        return dimension_label(by, g)

    def tab(q: Question, title: str, anchor: str, keys: list[str], row: str = "") -> CrossTab:
        table = [[counts.get((q.pk, row, k, g), 0) for g in groups] for k in keys]
        return CrossTab(
            question=q,
            title=title,
            columns=[group_label(g) for g in groups],
            rows=[
                (_label(q, k, language, texts), cells)
                for k, cells in zip(keys, suppressed(table), strict=True)
            ],
            anchor=anchor,
        )

    tabs = []
    for q in questions:
        if q.type not in TABBED_TYPES or (q == by_question and not by_row):
            continue
        text = pick(q.text, language).text
        if q.type == T.MATRIX:
            keys = [o.key for o in q.options.all()]
            tabs += [
                tab(
                    q,
                    f"{text} — {pick(r['text'], language).text}",
                    f"{q.key}-{r['key']}",
                    keys,
                    r["key"],
                )
                for r in q.rows
                if not (q == by_question and r["key"] == by_row)
            ]
            continue
        if q.type == T.SCALE:
            low = int(q.min_value if q.min_value is not None else 1)
            high = int(q.max_value if q.max_value is not None else 5)
            keys = [str(v) for v in range(low, high + 1)]
        else:
            keys = [o.key for o in q.options.all()] + ([OTHER_KEY] if q.allow_other else [])
        tabs.append(tab(q, text, q.key, keys))
    return title, tabs


def _num(number: Decimal | None) -> str:
    return "" if number is None else str(int(number))


def free_texts(
    survey: Survey,
    question: Question,
    *,
    search: str = "",
    include_hidden: bool = False,
    limit: int = 100,
) -> list[Answer]:
    """A free-text question's answers (and "other" texts), newest first (one query)."""
    answers = _submitted_answers(survey).filter(question=question).exclude(text="")
    if not include_hidden:
        answers = answers.filter(hidden=False)
    if search:
        answers = answers.filter(text__icontains=search)
    return list(answers.order_by("-id")[:limit])


@dataclass
class Rate:
    invited: int
    responded: int
    responses: int
    by_source: list[tuple[str, int, int]]
    per_day: list[tuple[str, int]]

    @property
    def rate(self) -> str:
        return percent_text(self.responded / self.invited if self.invited else None)


SOURCES = {
    "audience": gettext_lazy("Audience"),
    "list": gettext_lazy("Email list"),
    "feedback": gettext_lazy("Webinar feedback"),
}


def response_rate(survey: Survey) -> Rate:
    """Invited and responded per audience source, and submissions per day (three queries)."""
    by_source = [
        (str(SOURCES.get(source, source)), invited, responded)
        for source, invited, responded in Invitation.objects.filter(survey=survey)
        .values("source")
        .annotate(invited=Count("id"), responded=Count("id", filter=Q(responded=True)))
        .values_list("source", "invited", "responded")
        .order_by("source")
    ]
    per_day = [
        (day.isoformat(), n)
        for day, n in Response.objects.filter(survey=survey, status=SUBMITTED)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
        .order_by("day")
        if day is not None
    ]
    responses = sum(n for _d, n in per_day)
    return Rate(
        invited=sum(i for _s, i, _r in by_source),
        responded=sum(r for _s, _i, r in by_source),
        responses=responses,
        by_source=by_source,
        per_day=per_day,
    )


def per_day_chart(rate: Rate) -> Chart:
    top = max((n for _d, n in rate.per_day), default=0)
    layout = bar_layout([(day, n / top if top else None, str(n)) for day, n in rate.per_day])
    return drawn_chart(
        "per-day",
        _("Responses per day (UTC)"),
        layout,
        header=[_("Day"), _("Responses")],
        rows=[[day, n] for day, n in rate.per_day],
    )


# --- CSV -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvColumns:
    """A survey's CSV layout, worked out once for the header and every row: the header,
    and per answer column what fills it (`spec`); option ids to their keys."""

    header: list[str]
    spec: list[tuple]
    options: dict[int, str]


CSV_FIXED = ["response", "submitted_at", "language", "country", "region", "organization_kind"]
CSV_NAMED = ["name", "email"]
CSV_CHUNK = 2000  # responses read per chunk: two queries each, whatever their answers


def csv_columns(survey: Survey, questions: list[Question]) -> CsvColumns:
    """One column per question, one per option of a multiple choice (1 or empty), one
    per matrix row, one for each "other" text. An anonymous survey's rows leave the
    respondent columns (submitted_at to organization_kind) empty: see `csv_rows`. A
    question keyed like a fixed column (`name`, `email`, `country`…) is headed
    `question:<key>`, so no header is repeated (a key never holds a colon)."""
    fixed = CSV_FIXED + ([] if survey.anonymous else CSV_NAMED)
    header = list(fixed)
    spec: list[tuple] = []
    options: dict[int, str] = {}
    for q in questions:
        for o in q.options.all():
            options[o.pk] = o.key
        if q.type == T.MULTIPLE:
            for o in q.options.all():
                header.append(f"{q.key}:{o.key}")
                spec.append(("has", q.pk, o.pk))
        elif q.type == T.MATRIX:
            for row in q.rows:
                header.append(f"{q.key}:{row['key']}")
                spec.append(("row", q.pk, row["key"]))
        else:
            header.append(f"question:{q.key}" if q.key in fixed else q.key)
            spec.append(("value", q.pk, q.type))
        if q.allow_other:
            header.append(f"{q.key}:{OTHER_KEY}")
            spec.append(("other", q.pk, None))
    return CsvColumns(header, spec, options)


def _row_order(survey: Survey, ids: list[int]) -> list[int]:
    """The order of the rows: submission order (ids ascending) for a named survey; for
    an anonymous one an order unrelated to it that only the server can work out (an
    HMAC of the survey and response under SECRET_KEY), the same on every download, so
    whoever knows who answered first cannot tell which row is theirs."""
    if not survey.anonymous:
        return ids
    keyed = salted_hmac("surveys.results.csv_rows", str(survey.pk), algorithm="sha256")

    def secret(pk: int) -> bytes:
        mac = keyed.copy()
        mac.update(b":%d" % pk)
        return mac.digest()

    return sorted(ids, key=secret)


def _answers_by_response(ids: list[int]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(response_id__in=ids)
        .order_by("response_id", "id")
        .values_list(
            "response_id", "question_id", "option_id", "row", "other", "number", "date", "text"
        )
    ):
        grouped[answer[0]].append(answer)
    return grouped


def csv_rows(
    survey: Survey,
    columns: CsvColumns,
    *,
    submitted_from: datetime | None = None,
    submitted_before: datetime | None = None,
) -> Iterator[list[Any]]:
    """One row per submitted response in `columns` (the header's layout), streamed: the
    ids are read once and put in `_row_order`, then each chunk of `CSV_CHUNK` takes two
    queries, its responses and its answers (never all answers in memory). The bounds
    (UTC, the second exclusive) keep the responses submitted in a period (monitoring's
    exports)."""
    spec, options = columns.spec, columns.options
    chosen = Response.objects.filter(survey=survey, status=SUBMITTED)
    if submitted_from is not None:
        chosen = chosen.filter(submitted_at__gte=submitted_from)
    if submitted_before is not None:
        chosen = chosen.filter(submitted_at__lt=submitted_before)
    ordered = _row_order(survey, list(chosen.order_by("id").values_list("id", flat=True)))
    number = 0
    for start in range(0, len(ordered), CSV_CHUNK):
        chunk = ordered[start : start + CSV_CHUNK]
        found = {
            row[0]: row
            for row in Response.objects.filter(id__in=chunk).values_list(
                "id",
                "submitted_at",
                "language",
                "country",
                "region",
                "organization_kind",
                "member__full_name",
                "member__email",
                "invitation__email",
            )
        }
        answers = _answers_by_response(chunk)
        for pk in chunk:
            if pk in found:  # not deleted since the ids were read
                number += 1
                yield _csv_line(survey, spec, options, number, found[pk], answers.get(pk, []))


def _csv_line(
    survey: Survey,
    spec: list[tuple],
    options: dict[int, str],
    number: int,
    response: tuple,
    mine: list[tuple],
) -> list[Any]:
    pk, submitted, language, country, region, kind, name, email, invited = response
    values: dict[tuple, Any] = {}
    for _r, question_id, option_id, row, other, num, date, text in mine:
        if other:
            values[("other", question_id, None)] = text
            values.setdefault(("value", question_id, T.SINGLE), OTHER_KEY)
            continue
        if row:
            values[("row", question_id, row)] = options.get(option_id, "")
        elif option_id is not None:
            values[("has", question_id, option_id)] = 1
            values[("value", question_id, T.SINGLE)] = options.get(option_id, "")
        elif num is not None:
            shown = int(num) if num == num.to_integral_value() else num
            values[("value", question_id, T.NUMBER)] = shown
            values[("value", question_id, T.SCALE)] = shown
        elif date is not None:
            values[("value", question_id, T.DATE)] = date.isoformat()
        else:
            for kind_ in (T.TEXT, T.LONG_TEXT, T.COUNTRY):
                values[("value", question_id, kind_)] = text
    line: list[Any]
    if survey.anonymous:
        # No respondent attribute at all (day, language, country, region, kind): in a
        # small audience one such combination is one person, and a row beside it
        # would give their answers away. Breakdowns on the page suppress small cells.
        line = [number, "", "", "", "", ""]
    else:
        when = submitted.isoformat() if submitted is not None else ""
        line = [pk, when, language, country, region, kind]
        line += [name or "", email or invited or ""]
    line += [values.get(column, "") for column in spec]
    return line

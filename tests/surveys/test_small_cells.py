"""No suppressed breakdown cell can be worked out by subtraction from what the results
page shows: each answer's total is in its chart's table (a row of a breakdown), and each
group's total is there too when the breakdown is by another answer or a matrix row (a
column), or follows from any fully shown column of a question everyone answered when it
is by a respondent attribute. The attacker here reads the page's tables only, and
knows that the suppressed cells of a line whose total leaves 0 for them are all 0."""

import random
import re
from html.parser import HTMLParser

import pytest

from members.models import Member
from surveys.results import suppressed
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.responding import Respondent, questions_of, response_save
from tests.surveys.conftest import FULL

pytestmark = pytest.mark.django_db

Cell = tuple[int, int]
Shown = list[list[int | None]]  # a count, or None where the cell is suppressed


def worked_out(
    cells: Shown, row_totals: list[int | None], column_totals: list[int | None]
) -> dict[Cell, int]:
    """What subtraction gives away: over and over, a row or column whose total is known
    and which holds exactly one cell not shown as a number yields that cell, and one
    whose shown cells add up to its total yields 0 for each cell it does not show."""
    known = {(r, c): v for r, row in enumerate(cells) for c, v in enumerate(row) if v is not None}
    lines = [
        (total, [(r, c) for c in range(len(cells[0]))])
        for r, total in enumerate(row_totals)
        if total is not None
    ] + [
        (total, [(r, c) for r in range(len(cells))])
        for c, total in enumerate(column_totals)
        if total is not None
    ]
    solved: dict[Cell, int] = {}
    found = True
    while found:
        found = False
        for total, line in lines:
            missing = [cell for cell in line if cell not in known]
            left = total - sum(known[cell] for cell in line if cell in known)
            if len(missing) == 1 or (missing and left == 0):
                for cell in missing:
                    known[cell] = solved[cell] = left if len(missing) == 1 else 0
                found = True
    return solved


def _spread(table: list[list[int]]) -> bool:
    """Its non-zero cells are in two rows or more and two columns or more: otherwise
    each is its crossing line's total, and nothing can hide it."""
    columns = list(zip(*table, strict=True))
    return all(sum(1 for line in lines if any(line)) >= 2 for lines in (table, columns))


def test_the_attacker_finds_a_lone_cell_in_a_row_and_in_a_column():
    cells = [[None, 7], [6, 9]]
    assert worked_out(cells, [9, None], [None, None]) == {(0, 0): 2}
    assert worked_out(cells, [None, None], [8, None]) == {(0, 0): 2}
    assert worked_out([[None, None], [6, 9]], [9, 15], [None, None]) == {}


def test_the_attacker_knows_hidden_cells_that_can_only_be_zeros():
    # Row 0 leaves nothing for its hidden cells; the 0 then leaves column 0's 2 alone.
    cells = [[None, None, 5], [None, 7, 1]]
    assert worked_out(cells, [5, None], [None, None, None]) == {(0, 0): 0, (0, 1): 0}
    assert worked_out(cells, [5, None], [2, None, None]) == {(0, 0): 0, (0, 1): 0, (1, 0): 2}


def test_only_rows_protected_leaves_a_column_open():
    """The rule before columns were protected: this table's Government column (the
    group's tally, 15, is on the page) gave its lone small cell away."""
    table = [[6, 2, 3], [7, 8, 9], [2, 6, 7]]
    rows_only = [[6, None, None], [7, 8, 9], [None, None, 7]]
    everything = {(2, 0): 2, (0, 2): 3, (0, 1): 2, (2, 1): 6}  # the column's 2, then all
    assert worked_out(rows_only, [11, 24, 15], [15, 16, 19]) == everything
    shown = suppressed(table)
    assert worked_out(shown, [11, 24, 15], [15, 16, 19]) == {}
    assert shown == [[None, None, None], [7, 8, 9], [None, None, None]]


def test_no_cell_of_any_table_without_zeros_can_be_worked_out():
    """Five hundred tables of 2 to 5 rows and columns, every cell 1 to 12 (so every line
    has something to hide besides its small cell): whatever the layout, subtraction along
    rows and columns with both totals known finds nothing, and the same table always
    hides the same cells, its transpose the transposed cells."""
    chance = random.Random(13)
    for _ in range(500):
        height, width = chance.randint(2, 5), chance.randint(2, 5)
        table = [[chance.randint(1, 12) for _c in range(width)] for _r in range(height)]
        shown = suppressed(table)
        rows = [sum(row) for row in table]
        columns = [sum(column) for column in zip(*table, strict=True)]
        assert worked_out(shown, rows, columns) == {}, table
        assert suppressed(table) == shown
        transposed = [list(column) for column in zip(*table, strict=True)]
        assert suppressed(transposed) == [list(c) for c in zip(*shown, strict=True)], table


def test_no_cell_of_any_table_with_zeros_can_be_worked_out():
    """Five hundred tables where half the cells are 0 (those whose non-zero cells are
    all in one row or column aside): a lone small cell among zeros, or a hidden 0 alone
    in its line, gives nothing away either, and a table and its transpose still hide the
    same cells."""
    chance = random.Random(13)
    tried = 0
    while tried < 500:
        height, width = chance.randint(2, 5), chance.randint(2, 5)
        table = [
            [chance.choice([0, chance.randint(1, 12)]) for _c in range(width)]
            for _r in range(height)
        ]
        if not _spread(table):
            continue
        tried += 1
        shown = suppressed(table)
        rows = [sum(row) for row in table]
        columns = [sum(column) for column in zip(*table, strict=True)]
        assert worked_out(shown, rows, columns) == {}, table
        transposed = [list(column) for column in zip(*table, strict=True)]
        assert suppressed(transposed) == [list(c) for c in zip(*shown, strict=True)], table


def test_a_lone_small_cell_among_zeros_is_not_left_equal_to_its_tally():
    """Cash transfers: 2, both in Government. Shown as "hidden | 0 | 0" it is the
    answer's tally, 2. A 0 beside it is hidden too (hidden, a 0 reads like any other
    hidden cell), and then a number in that 0's column."""
    table = [[2, 0, 0], [7, 8, 9], [6, 5, 7]]
    rows, columns = [2, 24, 18], [15, 13, 16]
    assert worked_out([[None, 0, 0], [7, 8, 9], [6, 5, 7]], rows, columns) == {(0, 0): 2}
    shown = suppressed(table)
    assert shown == [[None, None, 0], [7, 8, 9], [None, None, 7]]
    assert worked_out(shown, rows, columns) == {}


def test_a_table_that_is_its_margins_hides_a_number_to_cover_a_zero():
    """Each answer in one group only (the Bad raters all chose cash transfers): the 2's
    row and column are zeros and each zero's crossing line holds one number, so that
    number is hidden as well; otherwise the zero would be known and the 2 with it."""
    table = [[2, 0, 0], [0, 24, 0], [0, 0, 18]]
    shown = suppressed(table)
    assert shown == [[None, None, 0], [None, None, 0], [0, 0, 18]]
    assert worked_out(shown, [2, 24, 18], [2, 24, 18]) == {}


def test_a_hide_in_a_column_that_leaves_a_lone_cell_in_a_row_hides_again():
    # The lone 2 hides the 7 beside it (its row) and the 5 above it (its column, the 0
    # below being no use); row 0 then holds one hidden cell (the 5) and column 1 one (the
    # 7): both hide the 6, and nothing is alone any more.
    table = [[5, 6, 9], [2, 7, 0], [0, 8, 9]]
    assert suppressed(table) == [[None, None, 9], [None, None, 0], [0, 8, 9]]


def _single(key: str, text: str, options: list[tuple[str, str]]) -> dict:
    return {
        "key": key,
        "type": "single",
        "required": True,
        "text": {"en": text},
        "options": [{"key": k, "text": {"en": t}} for k, t in options],
    }


DOC = {
    "title": {"en": "Programmes"},
    "questions": [
        _single(
            "role",
            "Where do you work?",
            [("gov", "Government"), ("ngo", "NGO"), ("uni", "University")],
        ),
        _single(
            "topic",
            "Main topic?",
            [("cash", "Cash transfers"), ("pensions", "Pensions"), ("jobs", "Jobs")],
        ),
        {**next(q for q in FULL["questions"] if q["key"] == "grid"), "required": True},
    ],
}

# Topic by role (rows cash, pensions, jobs; columns gov, ngo, uni). Each respondent's
# country follows the role (Kenya, Peru, Brazil) and the speed rating the topic (bad,
# ok, good), so the same table is there by country and, turned over, by matrix row.
TABLE = [[6, 2, 3], [7, 8, 9], [2, 6, 7]]
# The same with zeros: both people who chose cash transfers work in government.
ZEROS = [[2, 0, 0], [7, 8, 9], [6, 5, 7]]
ROLES = [("gov", "KE"), ("ngo", "PE"), ("uni", "BR")]
TOPICS = [("cash", "bad"), ("pensions", "ok"), ("jobs", "good")]


def _answered(author, table: list[list[int]]):
    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(DOC)), actor=author
    )
    questions = questions_of(survey)
    for t, (topic, speed) in enumerate(TOPICS):
        for r, (role, country) in enumerate(ROLES):
            for i in range(table[t][r]):
                member = Member.objects.create(
                    email=f"{topic}-{role}-{i}@example.org", country=country
                )
                response_save(
                    survey=survey,
                    respondent=Respondent(identity=f"m:{member.pk}", language="en", member=member),
                    questions=questions,
                    answers={
                        "role": (role, ""),
                        "topic": (topic, ""),
                        "grid": ({"speed": speed, "cost": "ok"}, ""),
                    },
                    submit=True,
                )
    return survey


@pytest.fixture
def answered(author):
    return _answered(author, TABLE)


@pytest.fixture
def answered_with_zeros(author):
    return _answered(author, ZEROS)


class _Tables(HTMLParser):
    """Each table of the page by the region that holds it (its `aria-labelledby`): a
    list of rows of cell texts, the header row first."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.region = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div" and attributes.get("role") == "region":
            self.region = attributes.get("aria-labelledby") or ""
        elif tag == "tr" and self.region:
            self.tables.setdefault(self.region, []).append([])
        elif tag in ("td", "th") and self.region:
            self.cell = []

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.region][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.region = ""


def _page_tables(client, survey, by):
    reader = _Tables()
    reader.feed(client.get(f"/surveys/{survey.slug}/results/?by={by}").content.decode())
    return reader.tables


SUPPRESSED = "—hidden to protect small groups"  # what a suppressed cell reads, in full


def _numbers(rows: list[list[str]]) -> Shown:
    """A breakdown's cells (its rows without their label) as the attacker reads them."""
    return [[int(v) if v.isdigit() else None for v in row[1:]] for row in rows]


def _tally(tables, key) -> dict[str, int]:
    """An answer's count by its label, from its chart's table."""
    return {row[0]: int(row[1]) for row in tables[f"chart-q-{key}-title"][1:]}


def _attack(tables, by) -> dict[str, dict[Cell, int]]:
    """Every breakdown on the page against the totals the page gives: rows from each
    answer's tally, columns from the tally of what it is broken down by, and from any
    breakdown's fully shown column (everyone answered every question here). A breakdown
    of an answer everyone gave alike (the cost rating here) is left out: its one row is
    the groups' totals, so it shows nothing the tallies do not."""
    breakdowns = {region[4:]: rows for region, rows in tables.items() if region.startswith("tab-")}
    groups: dict[str, int] = {}
    if by.startswith("q:"):
        groups.update(_tally(tables, by[2:].replace(":", "-")))
    for rows in breakdowns.values():
        for c, group in enumerate(rows[0][1:]):
            column = [row[1 + c] for row in rows[1:]]
            if all(v.isdigit() for v in column):
                groups.setdefault(group, sum(int(v) for v in column))
    found = {}
    for anchor, rows in breakdowns.items():
        totals = _tally(tables, anchor)
        if sum(1 for n in totals.values() if n) < 2:
            continue
        cells = _numbers(rows[1:])
        found[anchor] = worked_out(
            cells, [totals[row[0]] for row in rows[1:]], [groups.get(g) for g in rows[0][1:]]
        )
    return found


@pytest.mark.parametrize("survey", ["answered", "answered_with_zeros"])
@pytest.mark.parametrize("by", ["q:role", "q:topic", "country", "q:grid:speed"])
def test_no_suppressed_cell_of_the_page_can_be_worked_out(request, author, client, survey, by):
    client.force_login(author)
    tables = _page_tables(client, request.getfixturevalue(survey), by)
    suppressed_cells = {
        cell
        for region, rows in tables.items()
        if region.startswith("tab-")
        for row in rows[1:]
        for cell in row[1:]
        if not cell.isdigit()
    }
    assert suppressed_cells == {SUPPRESSED}  # one label, whatever the reason
    found = _attack(tables, by)
    assert len(found) >= 2 and found == dict.fromkeys(found, {}), found


def test_a_lone_small_cell_among_zeros_is_not_its_tally_on_the_page(
    answered_with_zeros, author, client
):
    """Cash transfers' tally is 2, both in Government: "hidden | 0 | 0" would say so.
    The page hides the NGO 0 beside it as well (then a number in each crossing column)."""
    client.force_login(author)
    tables = _page_tables(client, answered_with_zeros, "q:role")
    assert _tally(tables, "topic")["Cash transfers"] == 2
    header, *rows = tables["tab-topic"]
    assert header == ["Answer", "Government", "NGO", "University"]
    assert rows == [
        ["Cash transfers", SUPPRESSED, SUPPRESSED, "0"],
        ["Pensions", "7", "8", "9"],
        ["Jobs", SUPPRESSED, SUPPRESSED, "7"],
    ]
    assert _attack(tables, "q:role")["topic"] == {}


def test_a_lone_small_cell_down_a_column_is_not_left_alone(answered, author, client):
    """Jobs in Government is 2, and the Government column's total is Government's tally:
    another cell of that column is hidden, not only the row's."""
    client.force_login(author)
    tables = _page_tables(client, answered, "q:role")
    header, *rows = tables["tab-topic"]
    assert header == ["Answer", "Government", "NGO", "University"]
    assert _tally(tables, "role") == {"Government": 15, "NGO": 16, "University": 19}
    assert rows == [
        ["Cash transfers", SUPPRESSED, SUPPRESSED, SUPPRESSED],
        ["Pensions", "7", "8", "9"],
        ["Jobs", SUPPRESSED, SUPPRESSED, SUPPRESSED],
    ]


def test_the_same_table_turned_over_hides_the_same_cells(answered, author, client):
    """Topic by role on one page and role by topic on another: read together, they show
    nothing one of them hides."""
    client.force_login(author)
    by_role = [row[1:] for row in _page_tables(client, answered, "q:role")["tab-topic"][1:]]
    by_topic = [row[1:] for row in _page_tables(client, answered, "q:topic")["tab-role"][1:]]
    assert by_topic == [list(column) for column in zip(*by_role, strict=True)]


def _breakdown_cells(page: str, anchor: str) -> list[list[str]]:
    """The raw HTML of each <td> of one breakdown's body, row by row."""
    section = page[page.index(f'<section aria-labelledby="tab-{anchor}">') :]
    section = section[: section.index("</section>")]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [re.findall(r"<td\b.*?</td>", row) for row in body.split("<tr>")[1:]]


@pytest.mark.parametrize("url", ["/surveys/{slug}/results/", "/surveys/r/{slug}/"])
def test_a_small_cell_and_the_cell_hidden_to_cover_it_look_the_same(answered, author, client, url):
    """Cash transfers by role is 6 | 2 | 3: the 2 and the 3 are under 5, the 6 is hidden
    so Government's column cannot give the 2 away. On the author's page and the
    published one, the three cells are the same markup, with no number in it, and the
    legend under the table says why cells are hidden."""
    answered.results_published = True
    answered.save(update_fields=["results_published"])
    client.force_login(author)
    page = client.get(url.format(slug=answered.slug) + "?by=q:role").content.decode()
    cells = _breakdown_cells(page, "topic")
    complement, small, other_small = cells[0]
    assert small == other_small == complement
    assert complement == (
        '<td class="suppressed"><span aria-hidden="true" title="hidden to protect small '
        'groups">—</span><span class="visually-hidden">hidden to protect small groups</span>'
        "</td>"
    )
    assert cells[1] == ["<td>7</td>", "<td>8</td>", "<td>9</td>"]
    assert cells[2] == [complement] * 3  # 2 (small) | 6 | 7 (hiding it down the columns)
    for anchor in ("topic", "grid-speed", "grid-cost"):
        section = page[page.index(f'<section aria-labelledby="tab-{anchor}">') :]
        section = section[: section.index("</section>")]
        assert f'<table aria-describedby="tab-{anchor}-legend">' in section
        assert f'<p class="muted" id="tab-{anchor}-legend">' in section
        assert "a cell is hidden when fewer than 5 people are in it, or when it" in section
        assert "<svg" not in section  # a breakdown is never drawn: no bar sized by a cell


def test_the_label_and_legend_are_translated(answered, client, settings):
    """A Spanish or French reader of the published results."""
    answered.results_published = True
    answered.save(update_fields=["results_published"])
    for language, label, legend in [
        ("es", "oculto para proteger a los grupos pequeños", "menos de 5 personas"),
        ("fr", "masqué pour protéger les petits groupes", "moins de 5 personnes"),
    ]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(f"/surveys/r/{answered.slug}/?by=q:role").content.decode()
        cell = _breakdown_cells(page, "topic")[0][0]
        assert f'title="{label}"' in cell and f">{label}</span>" in cell
        assert legend in page

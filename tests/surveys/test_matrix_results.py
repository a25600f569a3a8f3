"""Matrix questions in the results: a chart and table per row, a breakdown per row by the
respondent attributes and by other answers, and a matrix row as what to break down by,
with the same small-cell rules as every breakdown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from surveys.results import cross_tabs
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.responding import Respondent, questions_of, response_save
from tests.surveys.conftest import FULL

pytestmark = pytest.mark.django_db

# The shared test survey's matrix question (rows speed and cost, scale bad / ok / good).
GRID = next(q for q in FULL["questions"] if q["key"] == "grid")

DOC = {
    "title": {"en": "Services"},
    "questions": [
        {
            "key": "role",
            "type": "single",
            "text": {"en": "Where do you work?"},
            "options": [
                {"key": "gov", "text": {"en": "Government"}},
                {"key": "ngo", "text": {"en": "NGO"}},
            ],
        },
        GRID,
    ],
}

# Ten Kenyans and four Peruvians: (country, role, speed, cost).
PEOPLE = [
    *[("KE", "gov", "good", "good")] * 5,
    *[("KE", "gov", "good", "bad")] * 2,
    ("KE", "gov", "ok", "bad"),
    *[("KE", "ngo", "ok", "bad")] * 2,
    *[("PE", "ngo", "good", "ok")] * 2,
    *[("PE", "ngo", "bad", "ok")] * 2,
]


def _answer(survey, member, role, speed, cost):
    response_save(
        survey=survey,
        respondent=Respondent(identity=f"m:{member.pk}", language="en", member=member),
        questions=questions_of(survey),
        answers={"role": (role, ""), "grid": ({"speed": speed, "cost": cost}, "")},
        submit=True,
    )


@pytest.fixture
def answered(author):
    survey = survey_import(owner=author, spec=survey_spec_read(DOC))
    survey = survey_open(survey=survey, actor=author)
    for i, (country, role, speed, cost) in enumerate(PEOPLE):
        member = Member.objects.create(email=f"m{i}@example.org", country=country)
        _answer(survey, member, role, speed, cost)
    return survey


def _tabs(survey, by):
    title, tabs = cross_tabs(survey, questions_of(survey), by=by, language="en")
    return title, {t.title: (t.columns, dict(t.rows)) for t in tabs}


def test_each_matrix_row_is_broken_down_by_country_with_small_cells_suppressed(answered):
    title, tabs = _tabs(answered, "country")
    assert title == "Country"
    columns, speed = tabs["Rate each — Speed"]
    assert columns == ["Kenya", "Peru"]
    # Every row of the table has one cell under 5 and the row's total is on the page
    # (the row's chart). Bad is 0 | 2 of 2 and OK 3 | 0 of 3: shown as "0 | hidden", the
    # hidden cell would be the whole tally, so the 0 is hidden too (a hidden 0 reads like
    # any hidden cell); Good's 7 is hidden beside its 2. Nothing is left to show.
    assert speed == {
        "Bad": [None, None],  # 0 | 2
        "OK": [None, None],  # 3 | 0
        "Good": [None, None],  # 7 | 2
    }
    _columns, cost = tabs["Rate each — Cost"]
    # OK is 0 | 4 of 4: its 0 is hidden, then Peru's 0 above it (Peru's column held the
    # 4 alone), then a 5 of Kenya's column, the first (ties go by position).
    assert cost == {"Bad": [None, None], "OK": [None, None], "Good": [5, 0]}
    assert set(tabs) == {"Where do you work?", "Rate each — Speed", "Rate each — Cost"}


def test_matrix_rows_by_another_question(answered):
    title, tabs = _tabs(answered, "q:role")
    assert title == "Where do you work?"
    columns, speed = tabs["Rate each — Speed"]
    assert columns == ["Government", "NGO"]
    assert speed == {
        "Bad": [None, None],  # 0 | 2: the 0 too, or the hidden cell is Bad's tally
        "OK": [None, None],  # 1 | 2
        "Good": [None, None],  # 7 | 2
    }
    assert "Where do you work?" not in tabs


def test_a_matrix_row_as_what_to_break_down_by(answered):
    title, tabs = _tabs(answered, "q:grid:speed")
    assert title == "Rate each — Speed"
    columns, cost = tabs["Rate each — Cost"]
    assert columns == ["Bad", "OK", "Good"]  # the scale's order
    # The Bad column (speed Bad's tally, 2, is on the page) is 0 | 2 | 0: its 2 alone
    # would be that tally, so the first 0 is hidden, and OK's 0 likewise for its column.
    assert cost == {
        "Bad": [None, None, None],  # 0 | 3 | 2
        "OK": [None, None, None],  # 2 | 0 | 2
        "Good": [0, 0, 5],
    }
    _columns, role = tabs["Where do you work?"]
    # Government is 0 | 1 | 7 of 8: a number beside the 1 is hidden rather than the 0
    # (with a 0, the 1 would be known to be at most 1), so the 7. The Bad column is
    # 0 | 2 of Bad's 2: its 0 is hidden as well, or the NGO cell would be that tally.
    assert role == {"Government": [None] * 3, "NGO": [None] * 3}
    assert "Rate each — Speed" not in tabs  # not by itself


@pytest.mark.parametrize("by", ["q:grid", "q:grid:nope", "q:role:speed", "q:nope", "q:"])
def test_a_by_that_names_no_question_or_row_breaks_nothing_down(answered, by):
    assert _tabs(answered, by) == ("", {})


def test_the_results_page_charts_each_row_and_offers_the_rows(answered, author, client):
    client.force_login(author)
    url = f"/surveys/{answered.slug}/results/?by=q:grid:speed"
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    for row in ("speed", "cost"):
        heading = page.index(f'<h3 id="chart-q-grid-{row}-title">')
        table = page.index(f'id="chart-q-grid-{row}-table"')
        assert heading < page.index("<svg", heading) < table  # a picture, then its table
    assert '<option value="q:grid:cost">Answer to: Rate each — Cost</option>' in page
    assert '<option value="q:grid:speed" selected>' in page
    assert 'id="tab-grid-cost"' in page and 'id="tab-grid-speed"' not in page
    assert "hidden to protect small groups" in page
    for i in range(8):
        member = Member.objects.create(email=f"more{i}@example.org", country="BR")
        _answer(answered, member, "gov", "bad", "ok")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)
    published = client.get(f"/surveys/r/{answered.slug}/?by=country").content.decode()
    assert 'id="tab-grid-speed"' in published and "Brazil" in published

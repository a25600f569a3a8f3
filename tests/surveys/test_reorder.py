"""Reordering by drag (the editor's script posts the whole order to /reorder/): only the
author, only this survey's questions and sections, each exactly once, conditions kept
after their question, nothing once answered, and one transaction under the survey's lock."""

import pytest
from django.test import Client

from surveys.models import Question
from surveys.schema import survey_spec_read
from surveys.services.authoring import section_save, survey_import, survey_open
from surveys.services.responding import questions_of
from tests.surveys.test_privacy import postgres_only

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def draft(author, full_doc):
    """Loose questions topics … where, then "About you" (name), then an empty "Later"."""
    survey = survey_import(owner=author, spec=survey_spec_read(full_doc))
    section_save(survey=survey, actor=author, title={"en": "Later"})
    return survey


def _tokens(survey) -> list[str]:
    """The editor's order as the script sends it: loose questions, then each section and
    its questions."""
    tokens = [f"q{q.pk}" for q in questions_of(survey) if q.section_id is None]
    for section in survey.sections.all():
        tokens.append(f"s{section.pk}")
        tokens += [f"q{q.pk}" for q in questions_of(survey) if q.section_id == section.pk]
    return tokens


def layout(survey) -> list[tuple[str, list[str]]]:
    """(section title or "", its question keys), as respondents and the editor see them."""
    questions = questions_of(survey)
    groups = [("", [q.key for q in questions if q.section_id is None])]
    for section in survey.sections.all():
        groups.append(
            (section.title.get("en", ""), [q.key for q in questions if q.section_id == section.pk])
        )
    return groups


def _reorder(client, survey, order, **extra):
    return client.post(f"/surveys/{survey.slug}/reorder/", {"order": order}, **extra)


def _id(survey, key) -> str:
    return f"q{Question.objects.get(survey=survey, key=key).pk}"


def test_a_drag_moves_questions_across_sections_and_swaps_sections(draft, author, client):
    client.force_login(author)
    about, later = draft.sections.all()
    q = {k: _id(draft, k) for k in ("topics", "staff", "story", "nps", "grid", "when", "where")}
    name = _id(draft, "name")
    order = [
        q["staff"],
        q["topics"],
        q["story"],
        q["nps"],
        q["where"],
        f"s{later.pk}",
        q["grid"],
        q["when"],
        f"s{about.pk}",
        name,
    ]
    response = _reorder(client, draft, order, **JSON)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "detail": "The new order is saved."}
    assert layout(draft) == [
        ("", ["staff", "topics", "story", "nps", "where"]),
        ("Later", ["grid", "when"]),
        ("About you", ["name"]),
    ]
    assert _tokens(draft) == order
    page = client.get(f"/surveys/{draft.slug}/").content.decode()
    assert page.index("Later") < page.index("About you")
    assert 'src="/static/js/survey-order.js"' in page


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda order, other: order[:-1], id="one missing"),
        pytest.param(lambda order, other: [*order, order[0]], id="duplicate"),
        pytest.param(lambda order, other: [order[1], *order], id="duplicate first"),
        pytest.param(lambda order, other: [*order[:-1], other], id="another survey's question"),
        pytest.param(lambda order, other: [*order, "s999999"], id="unknown section"),
        pytest.param(lambda order, other: [*order, "x1"], id="not a token"),
        pytest.param(lambda order, other: [*order, "q"], id="no number"),
        pytest.param(lambda order, other: [*order, "q-3"], id="negative"),
        pytest.param(lambda order, other: [], id="empty"),
    ],
)
def test_bad_orders_are_refused_and_change_nothing(draft, author, client, needs_doc, change):
    other = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    client.force_login(author)
    before = layout(draft)
    order = _tokens(draft)
    order[0], order[1] = order[1], order[0]  # a real move, spoilt by the change
    response = _reorder(client, draft, change(order, _id(other, "role")), **JSON)
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "detail": "The survey changed meanwhile: reload the page.",
    }
    assert layout(draft) == before


def test_a_condition_stays_after_its_question(author, client, needs_doc):
    survey = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    client.force_login(author)
    role, why, score = (_id(survey, k) for k in ("role", "why", "score"))
    response = _reorder(client, survey, [why, role, score], **JSON)
    assert response.status_code == 400
    assert "“why” is shown only after “role”" in response.json()["detail"]
    assert _reorder(client, survey, [role, score, why], **JSON).status_code == 200
    assert layout(survey) == [("", ["role", "score", "why"])]


def test_only_the_author_reorders(draft, member_factory, client):
    order = _tokens(draft)
    order[0], order[1] = order[1], order[0]
    before = layout(draft)
    client.force_login(member_factory(email="stranger@example.org"))
    assert _reorder(client, draft, order, **JSON).status_code == 403
    client.logout()
    response = _reorder(client, draft, order, **JSON)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert layout(draft) == before


def test_a_get_or_a_post_without_the_csrf_token_is_refused(draft, author):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    order = _tokens(draft)
    order[0], order[1] = order[1], order[0]
    assert browser.get(f"/surveys/{draft.slug}/reorder/").status_code == 405
    assert _reorder(browser, draft, order, **JSON).status_code == 403
    assert layout(draft)[0][1][0] == "topics"


def _drag(client, survey):
    order = _tokens(survey)
    order[0], order[1] = order[1], order[0]
    response = _reorder(client, survey, order, **JSON)
    assert response.status_code == 400
    return response.json()["detail"]


def _question_button(client, survey):
    first = _id(survey, "topics")[1:]
    url = f"/surveys/{survey.slug}/questions/{first}/move/"
    return client.post(url, {"direction": "down"}, follow=True).content.decode()


def _section_button(action):
    def press(client, survey):
        about = survey.sections.first()
        url = f"/surveys/{survey.slug}/sections/{about.pk}/action/"
        return client.post(url, {"action": action}, follow=True).content.decode()

    return press


def _section_page(which):
    """The section form posted as it is (an old tab, or the address typed): a new section,
    or a new title for the first one."""

    def post(client, survey):
        pk = survey.sections.first().pk if which == "rename" else None
        url = (
            f"/surveys/{survey.slug}/sections/{pk}/"
            if pk
            else f"/surveys/{survey.slug}/sections/new/"
        )
        response = client.post(url, {"title_en": "Renamed"})
        assert response.status_code == 200  # the form again, with the reason
        return response.content.decode()

    return post


@pytest.mark.parametrize(
    "move",
    [
        _drag,
        _question_button,
        _section_button("down"),
        _section_button("delete"),
        _section_page("add"),
        _section_page("rename"),
    ],
    ids=[
        "drag",
        "question-button",
        "section-button",
        "section-removed",
        "section-added",
        "section-renamed",
    ],
)
def test_an_answered_survey_keeps_its_layout_however_it_is_changed(draft, author, client, move):
    """The drag, the no-script buttons, removing a section (its questions would move out
    of it), adding one and renaming one (its title frames what people answered, as a
    question's text does) all ask the same rule, with the same reason."""
    survey = survey_open(survey=draft, actor=author, public_link=True)
    client.post(f"/surveys/p/{survey.public_token}/", {"action": "submit"})
    assert survey.responses.exists()
    before = layout(survey)
    client.force_login(author)
    assert "can no longer change" in move(client, survey)
    assert layout(survey) == before


def test_an_answered_survey_s_editor_offers_no_changes_of_layout(draft, author, client):
    survey = survey_open(survey=draft, actor=author, public_link=True)
    client.force_login(author)
    page = client.get(f"/surveys/{survey.slug}/").content.decode()
    buttons = (
        "Move section up",
        "Move section down",
        "Remove section",
        "Move down:",
        "Edit section",
        "Add a section",
    )
    assert "data-reorder" in page and all(button in page for button in buttons)
    client.logout()
    client.post(f"/surveys/p/{survey.public_token}/", {"action": "submit"})
    client.force_login(author)
    page = client.get(f"/surveys/{survey.slug}/").content.decode()
    assert "survey-order.js" not in page and "data-reorder" not in page
    for button in buttons:
        assert button not in page, button
    assert "Untitled section" not in page and "About you" in page  # the sections still show


def test_sections_cannot_be_added_or_renamed_once_answered(draft, author, member_factory):
    """The rule is the service's, not only the editor's: whoever calls it (a page, a
    script, an import) gets the same refusal, and nothing is written."""
    from django.core.exceptions import ValidationError

    from surveys.services.responding import Respondent, response_save

    survey = survey_open(survey=draft, actor=author, public_link=True)
    about = survey.sections.first()
    section_save(survey=survey, actor=author, section=about, title={"en": "About you, still"})
    member = member_factory()
    response_save(
        survey=survey,
        respondent=Respondent(identity=f"m:{member.pk}", language="en", member=member),
        questions=questions_of(survey),
        answers={},
        submit=False,  # a saved draft counts as an answer already
    )
    before = layout(survey)
    for section in (None, about):
        with pytest.raises(ValidationError, match="can no longer change"):
            section_save(survey=survey, actor=author, section=section, title={"en": "Other"})
    assert layout(survey) == before and before[1][0] == "About you, still"


def test_without_the_script_it_returns_to_the_editor_with_the_reason(author, client, needs_doc):
    survey = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    client.force_login(author)
    role, why, score = (_id(survey, k) for k in ("role", "why", "score"))
    response = _reorder(client, survey, [why, role, score], follow=True)
    assert response.redirect_chain[-1][0] == f"/surveys/{survey.slug}/#questions"
    assert "must stay after it" in response.content.decode()


def _add_question(survey, author):
    from surveys.services.authoring import question_save

    question_save(
        survey=survey,
        actor=author,
        document={"key": "extra", "type": "text", "text": {"en": "Extra?"}},
    )


def _add_section(survey, author):
    section_save(survey=survey, actor=author, title={"en": "Extra"})


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("add", [_add_question, _add_section], ids=["question", "section"])
def test_a_reorder_waits_for_an_edit_in_flight_and_is_refused(draft, author, add):
    """The author adds a question or a section in one tab while a drag in another posts
    the order it saw: the reorder waits on the survey's lock, then sees what was added
    missing from its order and refuses, rather than leaving it wherever it fell."""
    import threading
    import time

    from django.core.exceptions import ValidationError
    from django.db import connections, transaction

    from surveys.services.authoring import survey_reorder

    seen = _tokens(draft)
    seen[0], seen[1] = seen[1], seen[0]
    before = layout(draft)
    added, reordering = threading.Event(), threading.Event()
    outcome = []

    def edit():
        try:
            with transaction.atomic():
                add(draft, author)
                added.set()
                reordering.wait(5)
                time.sleep(0.3)  # the reorder is now blocked on the survey's lock
        finally:
            connections.close_all()

    def reorder():
        try:
            added.wait(5)
            reordering.set()
            survey_reorder(survey=draft, actor=author, order=seen)
            outcome.append("saved")
        except ValidationError:
            outcome.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for job in (edit, reorder)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome == ["refused"]
    if add is _add_question:  # the new question is last, outside sections
        assert layout(draft) == [("", [*before[0][1], "extra"]), *before[1:]]
    else:
        assert layout(draft) == [*before, ("Extra", [])]


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("move", ["question", "section", "new-section"])
def test_a_button_move_waits_for_a_first_answer_in_flight_and_is_refused(
    draft, author, member_factory, move
):
    """A first answer is being stored (not yet committed) when the author presses a
    move button: the move waits on the survey's lock, then sees the answer and refuses,
    so nobody answers a survey whose order changed under them."""
    import threading
    import time

    from django.core.exceptions import ValidationError
    from django.db import transaction

    from surveys.services.authoring import question_move, section_move
    from surveys.services.responding import Respondent, response_save
    from tests.surveys.test_privacy import _side_by_side

    survey = survey_open(survey=draft, actor=author, public_link=True)
    member = member_factory(email="first@example.org")
    before = layout(survey)
    stored, moving = threading.Event(), threading.Event()
    outcome = []

    def respondent():
        with transaction.atomic():
            response_save(
                survey=survey,
                respondent=Respondent(identity=f"m:{member.pk}", language="en", member=member),
                questions=questions_of(survey),
                answers={},
                submit=True,
            )
            stored.set()
            moving.wait(5)
            time.sleep(0.3)  # the move is now blocked on the survey's lock

    def author_moves():
        stored.wait(5)
        moving.set()
        try:
            if move == "question":
                topics = Question.objects.get(survey=survey, key="topics")
                question_move(survey=survey, actor=author, question=topics, direction=1)
            elif move == "section":
                section = survey.sections.first()
                section_move(survey=survey, actor=author, section=section, direction=1)
            else:
                section_save(survey=survey, actor=author, title={"en": "Extra"})
            outcome.append("moved")
        except ValidationError:
            outcome.append("refused")

    _side_by_side(respondent, author_moves)
    assert outcome == ["refused"]
    assert layout(survey) == before and survey.responses.count() == 1

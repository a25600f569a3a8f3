"""The author drags a question into a section and a section above another in the editor,
then moves a question with the keyboard: each move is saved at once (the server's order
is what the page shows after a reload), and a refused move goes back and says why."""

import pytest

from surveys.schema import survey_spec_read
from surveys.services.authoring import section_save, survey_import
from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_community_journey import PASSWORD, log_in
from tests.surveys.conftest import FULL, NEEDS
from tests.surveys.test_reorder import layout

pytestmark = pytest.mark.e2e


def test_author_reorders_by_drag_and_by_keyboard(live, page_in_zone, member_factory):
    author = member_factory(email="author@example.org", full_name="Ana Author", password=PASSWORD)
    survey = survey_import(owner=author, spec=survey_spec_read(FULL))
    section_save(survey=survey, actor=author, title={"en": "Later"})
    needs = survey_import(owner=author, spec=survey_spec_read(NEEDS))

    page = page_in_zone("Africa/Nairobi")
    log_in(page, live, author, f"/surveys/{survey.slug}/")
    editor = page.locator("#survey-order")
    assert editor.locator("#order-help").is_visible()
    assert blocking_violations(page) == []

    def saved(move):
        with page.expect_response(lambda r: r.url.endswith("/reorder/")) as response:
            move()
        assert response.value.status == 200

    # Drag "Country" (the last loose question) onto "Your title" in "About you".
    where = editor.get_by_role("button", name="Move question: Country")
    name = editor.locator("li", has_text="Your title")
    saved(lambda: where.drag_to(name, target_position={"x": 40, "y": 2}))
    assert layout(survey)[1] == ("About you", ["where", "name"])

    # Drag the "Later" section above "About you".
    later = editor.get_by_role("button", name="Move section: Later")
    about = editor.locator(".q-group[data-section]", has_text="About you").locator("h3")
    saved(lambda: later.drag_to(about, target_position={"x": 40, "y": 2}))
    assert [title for title, _keys in layout(survey)] == ["", "Later", "About you"]

    # Keyboard: "Start date" (the last loose question) down into "Later", then up again.
    when = editor.get_by_role("button", name="Move question: Start date")
    when.focus()
    saved(lambda: page.keyboard.press("ArrowDown"))
    assert layout(survey)[1] == ("Later", ["when"])
    assert "now number 1 in Later" in editor.locator("#order-status").inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Move question: Start date"
    )
    saved(lambda: page.keyboard.press("ArrowUp"))
    assert layout(survey)[0][1][-1] == "when"

    page.reload()
    titles = editor.locator(".q-group h3").all_inner_texts()
    assert [t.replace("⠿", "").strip() for t in titles] == ["Later", "About you"]
    about_you = editor.locator('.q-group[data-name="About you"] li[data-question]')
    assert about_you.evaluate_all("items => items.map(i => i.dataset.name)") == [
        "Country",
        "Your title",
    ]

    # A condition must stay after its question: the page goes back and says why.
    page.goto(f"{live.url}/surveys/{needs.slug}/")
    why = editor.get_by_role("button", name="Move question: Which other?")
    why.focus()
    with page.expect_response(lambda r: r.url.endswith("/reorder/")) as response:
        page.keyboard.press("ArrowUp")
    assert response.value.status == 400
    alert = editor.get_by_role("alert")
    alert.wait_for()
    assert "shown only after" in alert.inner_text()
    keys = editor.locator("li[data-question]").evaluate_all(
        "items => items.map(i => i.dataset.name)"
    )
    assert keys == ["Where do you work?", "Which other?", "How useful was it?"]
    assert layout(needs) == [("", ["role", "why", "score"])]

"""The survey file: import, export (same format), copy, and the two commands."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from surveys.models import Option, Question, Survey
from surveys.schema import survey_document, survey_spec_read
from surveys.services.authoring import survey_copy, survey_import

pytestmark = pytest.mark.django_db


def test_the_issue_example_imports_and_keeps_its_meaning(author, needs_doc):
    survey = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    assert survey.title == {"en": "Needs survey", "fr": "Enquête sur les besoins"}
    role, why, score = Question.objects.filter(survey=survey).order_by("position")
    assert (role.key, role.type, role.required) == ("role", "single", True)
    assert [o.key for o in role.options.all()] == ["gov", "other"]
    assert why.show_if == {"question": "role", "equals": "other"}
    assert (score.min_value, score.max_value) == (1, 5)


def test_export_then_import_is_the_same_document(author, full_doc):
    first = survey_import(owner=author, spec=survey_spec_read(full_doc))
    exported = survey_document(first)
    second = survey_import(owner=author, spec=survey_spec_read(json.loads(json.dumps(exported))))
    again = survey_document(second)
    assert again == exported
    assert exported["sections"][0]["questions"][0]["key"] == "name"
    assert exported["questions"][3]["min_label"] == {"en": "Not at all likely"}


def test_copy_is_a_new_draft_with_the_same_questions(author, full_doc, member_factory):
    original = survey_import(owner=author, spec=survey_spec_read(full_doc))
    copy = survey_copy(survey=original, actor=author)
    assert copy.pk != original.pk and copy.status == Survey.Status.DRAFT
    assert survey_document(copy)["questions"] == survey_document(original)["questions"]
    assert "(copy)" in copy.title["en"]


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: d["questions"][0].update(type="essay"), "questions[0].type"),
        (lambda d: d["questions"][0]["options"].append({"key": "gov", "text": "x"}), "used twice"),
        (
            lambda d: d["questions"][1].update(show_if={"question": "score", "equals": "1"}),
            "why.show_if",
        ),
        (
            lambda d: d["questions"][1].update(show_if={"question": "role", "equals": "nope"}),
            "not an option",
        ),
        (lambda d: d["questions"][2].update(min=3, max=2), "questions[2]"),
        (lambda d: d["questions"][2].update(key="role"), "used twice"),
        (lambda d: d.update(title={}), "title"),
        (lambda d: d["questions"][0].update(text={"de": "Wo?"}), "unknown language"),
    ],
)
def test_bad_files_are_refused_whole_with_the_place_and_reason(author, needs_doc, change, where):
    change(needs_doc)
    with pytest.raises(ValidationError) as error:
        survey_spec_read(needs_doc)
    assert any(where in message for message in error.value.messages), error.value.messages
    assert not Survey.objects.exists()


def test_survey_import_command_prints_slug_and_public_path(author, tmp_path, needs_doc):
    path = tmp_path / "needs.json"
    path.write_text(json.dumps(needs_doc))
    out = StringIO()
    call_command("survey_import", str(path), "--owner", author.email, "--open", stdout=out)
    slug, link = out.getvalue().split()
    survey = Survey.objects.get(slug=slug)
    assert survey.status == Survey.Status.OPEN
    assert link == f"/surveys/p/{survey.public_token}/"
    assert Option.objects.filter(question__survey=survey).count() == 2


def test_survey_import_command_rejects_broken_json_without_writing(author, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"title": {"en": "x"}, "questions": [')
    with pytest.raises(CommandError, match="line 1"):
        call_command("survey_import", str(path), "--owner", author.email)
    assert not Survey.objects.exists()


def test_survey_results_command(open_survey, member_factory, client):
    for role, score in [("gov", "4"), ("other", "2"), ("gov", "5")]:
        member = member_factory()
        client.force_login(member)
        data = {"q_role": role, "q_score": score, "action": "submit"}
        if role == "other":
            data["q_why"] = "NGO"
        response = client.post(f"/surveys/p/{open_survey.public_token}/", data)
        assert response.status_code == 200, response.content
    out = StringIO()
    call_command("survey_results", open_survey.slug, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["responses"] == 3
    role, why, score = result["questions"]
    assert role == {
        "key": "role",
        "type": "single",
        "answered": 3,
        "counts": {"gov": 2, "other": 1},
    }
    assert why["answered"] == 1
    assert score["mean"] == pytest.approx(11 / 3, abs=0.01)
    assert score["counts"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}


def test_a_title_that_is_a_route_gets_another_slug(author, needs_doc):
    needs_doc["title"] = {"en": "New"}
    survey = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    assert survey.slug == "new-2"

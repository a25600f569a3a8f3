"""Authoring through the pages: drafts, questions in three languages, reordering by
buttons, preview, export/import/copy from the UI, who may do what, hostile text inert."""

import json

import pytest
from django.core import mail

from surveys.models import Question, Response, Survey
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(author, needs_doc):
    return survey_import(owner=author, spec=survey_spec_read(needs_doc))


def test_any_member_drafts_and_writes_a_question_in_three_languages(member_factory, client):
    member = member_factory()
    client.force_login(member)
    response = client.post("/surveys/new/", {"title_en": "Needs", "title_fr": "Besoins"})
    survey = Survey.objects.get()
    assert response["Location"] == f"/surveys/{survey.slug}/"
    response = client.post(
        f"/surveys/{survey.slug}/questions/new/",
        {
            "key": "like",
            "type": "single",
            "text_en": "Do you like it?",
            "text_es": "¿Le gusta?",
            "text_fr": "Vous aimez ?",
            "options": "yes | Yes | Sí | Oui\nno | No",
            "required": "on",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(survey=survey)
    assert question.text == {"en": "Do you like it?", "es": "¿Le gusta?", "fr": "Vous aimez ?"}
    assert [o.text for o in question.options.all()] == [
        {"en": "Yes", "es": "Sí", "fr": "Oui"},
        {"en": "No"},
    ]


def test_a_bad_question_gets_an_error_not_a_500(draft, author, client):
    client.force_login(author)
    response = client.post(
        f"/surveys/{draft.slug}/questions/new/",
        {"key": "role", "type": "single", "text_en": "Again", "options": "a | A"},
    )
    assert response.status_code == 200
    assert "used twice" in response.content.decode()
    response = client.post(
        f"/surveys/{draft.slug}/questions/new/",
        {"key": "pick", "type": "multiple", "text_en": "Pick", "options": ""},
    )
    assert "at least one option" in response.content.decode()


def test_reorder_by_buttons_keeps_conditions_after_their_question(draft, author, client):
    client.force_login(author)
    role, why, score = Question.objects.filter(survey=draft).order_by("position")
    client.post(f"/surveys/{draft.slug}/questions/{score.pk}/move/", {"direction": "up"})
    keys = [q.key for q in Question.objects.filter(survey=draft).order_by("position")]
    assert keys == ["role", "score", "why"]
    response = client.post(
        f"/surveys/{draft.slug}/questions/{role.pk}/move/", {"direction": "down"}, follow=True
    )
    assert "must stay after it" not in response.content.decode()  # score moved, not why
    client.post(f"/surveys/{draft.slug}/questions/{why.pk}/move/", {"direction": "up"})
    client.post(f"/surveys/{draft.slug}/questions/{why.pk}/move/", {"direction": "up"})
    order = [q.key for q in Question.objects.filter(survey=draft).order_by("position")]
    assert order.index("why") > order.index("role")


def test_preview_stores_nothing(draft, author, client):
    client.force_login(author)
    page = client.get(f"/surveys/{draft.slug}/preview/?lang=fr").content.decode()
    assert "Enquête sur les besoins" in page
    response = client.post(f"/surveys/{draft.slug}/preview/", {"q_role": "gov"})
    assert "These answers would be accepted." in response.content.decode()
    assert not Response.objects.exists()


def test_export_import_and_copy_from_the_pages(draft, author, client):
    client.force_login(author)
    exported = client.get(f"/surveys/{draft.slug}/export/")
    assert exported["Content-Disposition"].startswith("attachment")
    document = json.loads(exported.content)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("s.json", json.dumps(document).encode(), "application/json")
    response = client.post("/surveys/import/", {"file": upload})
    assert response.status_code == 302
    broken = SimpleUploadedFile("b.json", b"{nope", "application/json")
    response = client.post("/surveys/import/", {"file": broken})
    assert "not valid JSON" in response.content.decode()
    client.post(f"/surveys/{draft.slug}/copy/")
    assert Survey.objects.count() == 3


def test_strangers_cannot_edit_or_preview(draft, member_factory, client):
    client.force_login(member_factory())
    for url in (
        f"/surveys/{draft.slug}/",
        f"/surveys/{draft.slug}/preview/",
        f"/surveys/{draft.slug}/export/",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/surveys/{draft.slug}/action/", {"action": "open"}).status_code == 403
    assert client.get(f"/surveys/{draft.slug}/").status_code == 403
    client.logout()
    assert client.get(f"/surveys/{draft.slug}/").status_code == 302  # to sign in


def test_questions_freeze_once_answered(draft, author, client):
    from surveys.services.authoring import survey_open

    survey = survey_open(survey=draft, actor=author, public_link=True)
    client.post(f"/surveys/p/{survey.public_token}/", {"q_role": "gov", "action": "submit"})
    client.force_login(author)
    role = Question.objects.get(survey=survey, key="role")
    response = client.post(f"/surveys/{survey.slug}/questions/{role.pk}/delete/", follow=True)
    assert "can no longer change" in response.content.decode()
    assert Question.objects.filter(pk=role.pk).exists()


def test_hostile_text_is_inert_in_pages_and_emails(
    author, needs_doc, client, django_capture_on_commit_callbacks
):
    from surveys.services.authoring import survey_open
    from surveys.services.distribution import survey_send_to_list

    needs_doc["title"]["en"] = "<script>alert('t')</script>"
    needs_doc["questions"][0]["options"][0]["text"]["en"] = "<img src=x onerror=alert(1)>"
    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(needs_doc)),
        actor=author,
        public_link=True,
    )
    page = client.get(f"/surveys/p/{survey.public_token}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    with django_capture_on_commit_callbacks(execute=True):
        survey_send_to_list(survey=survey, actor=author, text="x@example.org")
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_surveys_page_lists_invitations_and_published_results(
    draft, author, member_factory, client
):
    from core.clock import now
    from surveys.models import Invitation
    from surveys.services.authoring import survey_open, survey_results_publish

    survey = survey_open(survey=draft, actor=author)
    member = member_factory()
    invitation = Invitation.objects.create(
        survey=survey, member=member, email=member.email, created_at=now()
    )
    page = client.get("/surveys/").content.decode()
    assert "Sign in to write a survey" in page and "Needs survey" not in page
    survey_results_publish(survey=survey, actor=author, published=True)
    assert f"/surveys/r/{survey.slug}/" in client.get("/surveys/").content.decode()
    client.force_login(member)
    page = client.get("/surveys/").content.decode()
    assert f"/surveys/i/{invitation.token}/" in page

"""Answering: every type, conditions on the server, saving halfway, bad input, one response."""

import re
from datetime import timedelta

import pytest
from django.db import connection

from core.clock import now, travel
from surveys.models import Answer, Invitation, Response
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_close, survey_import, survey_open

pytestmark = pytest.mark.django_db


def _url(survey):
    return f"/surveys/p/{survey.public_token}/"


@pytest.fixture
def full_survey(author, full_doc):
    survey = survey_import(owner=author, spec=survey_spec_read(full_doc))
    return survey_open(survey=survey, actor=author, public_link=True)


def test_every_question_has_a_label_with_its_text_and_every_option_its_own(full_survey, client):
    html = client.get(_url(full_survey)).content.decode()
    assert re.search(r'<label class="q-text" for="id_q_staff">How many staff\?', html)
    assert re.search(
        r'role="group" aria-labelledby="id_q_topics_label">\s*'
        r'<label class="q-text" id="id_q_topics_label">Topics\?',
        html,
    )
    for text in (
        "Cash transfers",
        "Pensions",
        "Jobs",
        "Other, please specify",
        "Not at all likely",
    ):
        assert text in html
    assert re.search(
        r'<label class="option" for="id_q_nps_0"><input type="radio" name="q_nps"[^>]*> 0</label>',
        html,
    )
    assert '<label class="row-text" id="id_q_grid__speed_label">Speed</label>' in html
    assert 'for="id_q_where"' in html and 'type="date"' in html


def test_the_respondent_sees_their_language_with_fallback(full_survey, client):
    html = client.get(_url(full_survey) + "?lang=fr").content.decode()
    assert "Sujets ?" in html and "Transferts monétaires" in html
    assert "How many staff?" in html  # no French text: the fallback


def test_full_submission_stores_each_type(full_survey, member_factory, client):
    client.force_login(member_factory(country="KE"))
    response = client.post(
        _url(full_survey),
        {
            "q_topics": ["cash", "_other"],
            "q_topics__other": "Health insurance",
            "q_staff": "12",
            "q_story": "<script>alert(1)</script>",
            "q_nps": "9",
            "q_grid__speed": "good",
            "q_grid__cost": "bad",
            "q_when": "2026-03-01",
            "q_where": "SN",
            "q_name": "Director",
            "action": "submit",
        },
    )
    assert response.status_code == 200
    stored = Response.objects.get()
    assert (
        stored.status == "submitted"
        and stored.country == "KE"
        and stored.region == "sub_saharan_africa"
    )
    answers = Answer.objects.filter(response=stored)
    assert answers.count() == 10
    assert answers.get(other=True).text == "Health insurance"
    assert answers.get(question__key="nps").number == 9


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"q_role": "gov", "q_score": "9"}, "q_score", "Select a valid choice"),
        ({"q_role": "mayor"}, "q_role", "Select a valid choice"),
        ({"q_score": "3"}, "q_role", "This question needs an answer"),
    ],
)
def test_bad_answers_get_a_field_error_and_nothing_is_stored(
    open_survey, client, data, field, message
):
    response = client.post(_url(open_survey), {**data, "action": "submit"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Response.objects.exists()


def test_number_out_of_range(full_survey, client):
    response = client.post(_url(full_survey), {"q_staff": "5000", "action": "submit"})
    assert "less than or equal to 1000" in response.content.decode()
    assert not Answer.objects.exists()


def test_hidden_conditional_answers_are_dropped_and_tampered_ids_ignored(open_survey, client):
    response = client.post(
        _url(open_survey),
        {
            "q_role": "gov",
            "q_why": "sneaky",
            "q_nonexistent": "x",
            "q_score": "3",
            "action": "submit",
        },
    )
    assert response.status_code == 200
    keys = set(Answer.objects.values_list("question__key", flat=True))
    assert keys == {"role", "score"}


def test_shown_conditional_answer_is_kept(open_survey, client):
    client.post(_url(open_survey), {"q_role": "other", "q_why": "A union", "action": "submit"})
    assert Answer.objects.get(question__key="why").text == "A union"


def test_save_halfway_then_come_back_and_submit(open_survey, client):
    response = client.post(_url(open_survey), {"q_score": "4", "action": "save"})
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.status == "in_progress"
    page = client.get(_url(open_survey)).content.decode()
    assert re.search(r'value="4" checked', page)
    client.post(_url(open_survey), {"q_role": "gov", "q_score": "4", "action": "submit"})
    assert Response.objects.get().status == "submitted"
    # changing answers until the close: still one response
    client.post(_url(open_survey), {"q_role": "gov", "q_score": "2", "action": "submit"})
    assert Response.objects.count() == 1
    assert Answer.objects.get(question__key="score").number == 2


def test_closed_survey_refuses_answers_clearly(open_survey, author, client):
    client.post(_url(open_survey), {"q_role": "gov", "action": "save"})
    survey_close(survey=open_survey, actor=author)
    response = client.post(_url(open_survey), {"q_role": "gov", "action": "submit"})
    assert response.status_code == 410
    assert "closed" in response.content.decode()
    assert Response.objects.get().status == "in_progress"


def test_closing_time_passes(open_survey, client):
    open_survey.closes_at = now() + timedelta(hours=1)
    open_survey.save()
    with travel(now() + timedelta(hours=2)):
        response = client.post(_url(open_survey), {"q_role": "gov", "action": "submit"})
    assert response.status_code == 410


def test_one_response_per_member_through_link_and_invitation(open_survey, member_factory, client):
    member = member_factory()
    invitation = Invitation.objects.create(
        survey=open_survey, member=member, email=member.email, created_at=now()
    )
    client.force_login(member)
    client.post(_url(open_survey), {"q_role": "gov", "action": "submit"})
    client.post(
        f"/surveys/i/{invitation.token}/", {"q_role": "other", "q_why": "x", "action": "submit"}
    )
    assert Response.objects.count() == 1
    assert Response.objects.get().member == member
    invitation.refresh_from_db()
    assert invitation.responded


def test_anonymous_response_keeps_no_member_and_coarse_times(
    author, needs_doc, member_factory, client
):
    needs_doc["anonymous"] = True
    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(needs_doc)),
        actor=author,
        public_link=True,
    )
    member = member_factory()
    invitation = Invitation.objects.create(
        survey=survey, member=member, email=member.email, created_at=now()
    )
    client.post(f"/surveys/i/{invitation.token}/", {"q_role": "gov", "action": "submit"})
    stored = Response.objects.get()
    assert stored.member_id is None and stored.invitation_id is None
    assert (stored.submitted_at.hour, stored.submitted_at.minute, stored.submitted_at.second) == (
        0,
        0,
        0,
    )
    assert stored.respondent_key != f"m:{member.pk}" and len(stored.respondent_key) == 64
    survey_close(survey=survey, actor=author)
    survey.refresh_from_db()
    assert survey.respondent_salt == ""  # nobody can recompute whose it was


def test_public_visitor_is_counted_by_cookie(open_survey, client):
    client.post(_url(open_survey), {"q_role": "gov", "action": "submit"})
    client.post(_url(open_survey), {"q_role": "other", "q_why": "x", "action": "submit"})
    assert Response.objects.count() == 1


def test_members_only_public_link_sends_visitors_to_sign_in(open_survey, client):
    open_survey.public_members_only = True
    open_survey.save()
    response = client.get(_url(open_survey))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_public_rate_limit(open_survey, settings, client):
    settings.SURVEY_PUBLIC_RATE_PER_IP = "2/3600"
    from django.core.cache import cache

    cache.clear()
    codes = []
    for _ in range(3):
        client.cookies.clear()
        codes.append(
            client.post(_url(open_survey), {"q_role": "gov", "action": "submit"}).status_code
        )
    assert codes == [200, 200, 429]
    assert Response.objects.count() == 2


def test_unknown_links_are_404(client):
    assert client.get("/surveys/i/nope/").status_code == 404
    assert client.get("/surveys/p/nope/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_once_store_one_response(author, needs_doc, member_factory):
    """Two threads, two connections: on PostgreSQL they really race on the unique index."""
    import threading

    from django.test import Client

    from tests.threads import in_threads

    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(needs_doc)),
        actor=author,
        public_link=True,
    )
    member = member_factory()
    barrier = threading.Barrier(2)
    scores = iter(["2", "5"])
    codes = []

    def tab():
        c = Client()
        c.force_login(member)
        score = next(scores)
        barrier.wait()
        codes.append(
            c.post(
                _url(survey), {"q_role": "gov", "q_score": score, "action": "submit"}
            ).status_code
        )

    in_threads(tab, 2)
    assert codes == [200, 200]
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey, question__key="score").count() == 1
    assert connection.vendor in ("sqlite", "postgresql")

"""Privacy and integrity of anonymous surveys: row exports carry no respondent
attributes, one response per person across a reopen, anonymity changes locked against
the first response, and small cells that cannot be worked out from the totals."""

import os

import pytest

from members.models import Member, Organization
from surveys.results import questions_in_order
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.responding import Respondent, questions_of, response_save
from tests.surveys.downloads import csv_download

pytestmark = pytest.mark.django_db


def _answer(survey, member, answers, language="en"):
    return response_save(
        survey=survey,
        respondent=Respondent(identity=f"m:{member.pk}", language=language, member=member),
        questions=questions_of(survey),
        answers=answers,
        submit=True,
    )


@pytest.fixture
def anonymous_survey(author, needs_doc):
    needs_doc["anonymous"] = True
    survey = survey_import(owner=author, spec=survey_spec_read(needs_doc))
    return survey_open(survey=survey, actor=author, public_link=True)


def test_anonymous_row_export_carries_no_respondent_attributes(anonymous_survey, author, client):
    ngo = Organization.objects.create(name="NGO", slug="ngo", kind="ngo")
    lone = Member.objects.create(email="lone@example.org", country="PE", organization=ngo)
    _answer(anonymous_survey, lone, {"role": ("gov", ""), "score": (2, "")}, language="fr")
    crowd = Member.objects.create(email="crowd@example.org", country="KE")
    _answer(anonymous_survey, crowd, {"role": ("other", ""), "score": (4, "")})
    client.force_login(author)
    rows = csv_download(client, anonymous_survey)
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    column = {name: i for i, name in enumerate(header)}
    for name in ("submitted_at", "language", "country", "region", "organization_kind"):
        assert {row[column[name]] for row in body} == {""}, name
    assert {row[column["role"]] for row in body} == {"gov", "other"}  # the answers stay
    text = "\n".join(",".join(row) for row in rows)
    assert "PE" not in text and "ngo" not in text and "fr" not in text


def test_named_row_export_keeps_respondent_attributes(open_survey, author, client):
    member = Member.objects.create(email="named@example.org", country="PE")
    _answer(open_survey, member, {"role": ("gov", ""), "score": (2, "")}, language="fr")
    client.force_login(author)
    rows = csv_download(client, open_survey)
    column = {name: i for i, name in enumerate(rows[0])}
    assert rows[1][column["country"]] == "PE" and rows[1][column["language"]] == "fr"
    assert rows[1][column["submitted_at"]]
    assert questions_in_order(open_survey)


def test_a_closed_answered_anonymous_survey_cannot_reopen_for_second_answers(
    anonymous_survey, author, client
):
    from datetime import timedelta

    from django.core.exceptions import ValidationError

    from core.clock import now
    from surveys.models import Response, Survey
    from surveys.services.authoring import survey_close

    member = Member.objects.create(email="once@example.org")
    _answer(anonymous_survey, member, {"role": ("gov", ""), "score": (2, "")})
    survey_close(survey=anonymous_survey, actor=author)
    anonymous_survey.refresh_from_db()
    anonymous_survey.closes_at = now() + timedelta(days=7)  # the author moves the close
    anonymous_survey.save(update_fields=["closes_at"])
    with pytest.raises(ValidationError, match="cannot reopen"):
        survey_open(survey=anonymous_survey, actor=author)
    anonymous_survey.refresh_from_db()
    assert anonymous_survey.status == Survey.Status.CLOSED
    # Through the page: a clear message, still closed, and no second answer possible.
    client.force_login(author)
    page = client.post(f"/surveys/{anonymous_survey.slug}/action/", {"action": "open"}, follow=True)
    assert "cannot reopen" in page.content.decode()
    anonymous_survey.refresh_from_db()
    assert anonymous_survey.status == Survey.Status.CLOSED
    client.force_login(member)
    client.post(
        f"/surveys/p/{anonymous_survey.public_token}/", {"q_role": "other", "action": "submit"}
    )
    assert Response.objects.filter(survey=anonymous_survey).count() == 1


def test_an_unanswered_anonymous_survey_and_a_named_one_can_reopen(
    anonymous_survey, open_survey, author
):
    from datetime import timedelta

    from core.clock import now
    from surveys.models import Survey
    from surveys.services.authoring import survey_close

    for survey in (anonymous_survey, open_survey):
        survey_close(survey=survey, actor=author)
        survey.refresh_from_db()
        survey.closes_at = now() + timedelta(days=7)
        survey.save(update_fields=["closes_at"])
        assert survey_open(survey=survey, actor=author).status == Survey.Status.OPEN


def _update_kwargs(survey, anonymous):
    return {
        "title": survey.title,
        "intro": survey.intro,
        "anonymous": anonymous,
        "zone": survey.zone,
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "public_members_only": survey.public_members_only,
    }


postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks need PostgreSQL (SQLite serialises writers)",
)


def _side_by_side(*jobs):
    """Each job in its own thread, on its own database connection."""
    import threading

    from django.db import connections

    def run(job):
        try:
            job()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_anonymity_change_waits_for_a_first_response_in_flight(open_survey, author):
    """A first response is being stored (not yet committed) when the author makes the
    survey anonymous: the change waits for it, sees it, and is refused."""
    import threading
    import time

    from django.core.exceptions import ValidationError
    from django.db import transaction

    from surveys.models import Survey

    member = Member.objects.create(email="first@example.org")
    stored, waiting = threading.Event(), threading.Event()
    outcome = []

    def respondent():
        with transaction.atomic():
            _answer(open_survey, member, {"role": ("gov", ""), "score": (2, "")})
            stored.set()
            waiting.wait(5)
            time.sleep(0.3)  # the author's update is now blocked on the survey's lock

    def author_update():
        stored.wait(5)
        waiting.set()
        try:
            survey = Survey.objects.get(pk=open_survey.pk)
            from surveys.services.authoring import survey_update

            survey_update(survey=survey, actor=author, **_update_kwargs(survey, True))
            outcome.append("changed")
        except ValidationError:
            outcome.append("refused")

    _side_by_side(respondent, author_update)
    assert outcome == ["refused"]
    survey = Survey.objects.get(pk=open_survey.pk)
    assert survey.anonymous is False and survey.responses.get().member_id == member.pk


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_first_response_waits_for_an_anonymity_change_in_flight(open_survey, author):
    """The author makes the survey anonymous while a first response arrives with the
    survey read before the change: the response waits and is stored anonymously."""
    import threading
    import time

    from django.db import transaction

    from surveys.models import Survey

    member = Member.objects.create(email="first@example.org")
    stale = Survey.objects.get(pk=open_survey.pk)  # read by the respondent's request
    locked, answering = threading.Event(), threading.Event()

    def author_update():
        from surveys.services.authoring import survey_update

        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=open_survey.pk)
            locked.set()
            answering.wait(5)
            time.sleep(0.3)  # the response is now blocked on the survey's lock
            survey_update(survey=survey, actor=author, **_update_kwargs(survey, True))

    def respondent():
        locked.wait(5)
        answering.set()
        _answer(stale, member, {"role": ("gov", ""), "score": (2, "")})

    _side_by_side(author_update, respondent)
    survey = Survey.objects.get(pk=open_survey.pk)
    assert survey.anonymous is True
    stored = survey.responses.get()
    assert stored.member_id is None and stored.submitted_at.hour == 0


def test_a_lone_small_cell_cannot_be_worked_out_from_the_answer_totals(open_survey):
    """7 Kenyans and 2 Peruvians chose "gov": the tallies show gov = 9, so a row reading
    "7 | hidden" would give Peru's 2 away. The 7 is hidden too. And the score's table
    shows all 8 Peruvians in one fully shown column, so a Peru column reading
    "hidden | 6" would give the 2 away as well: Other's 6s are hidden too."""
    from surveys.results import cross_tabs, results_document

    for i in range(9):
        member = Member.objects.create(email=f"c{i}@example.org", country="KE" if i < 7 else "PE")
        _answer(open_survey, member, {"role": ("gov", ""), "score": (3, "")})
    for i in range(12):
        member = Member.objects.create(email=f"o{i}@example.org", country="KE" if i < 6 else "PE")
        _answer(open_survey, member, {"role": ("other", ""), "score": (3, "")})
    counts = next(q for q in results_document(open_survey)["questions"] if q["key"] == "role")
    assert counts["counts"] == {"gov": 9, "other": 12}  # the totals on the page
    _title, tabs = cross_tabs(open_survey, questions_of(open_survey), by="country", language="en")
    role = dict(next(t for t in tabs if t.question.key == "role").rows)
    assert role["Government"] == [None, None]  # Kenya 7, Peru 2
    assert role["Other"] == [None, None]  # 6 | 6: their columns' complements
    score = dict(next(t for t in tabs if t.question.key == "score").rows)
    assert score["3"] == [13, 8] and score["1"] == [0, 0]

"""Privacy and integrity of anonymous surveys: row exports carry no respondent
attributes, one response per person across a reopen, anonymity changes locked against
the first response, and small cells that cannot be worked out from the totals."""

import csv
import io

import pytest
from asgiref.sync import async_to_sync

from members.models import Member, Organization
from surveys.results import questions_in_order
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.responding import Respondent, questions_of, response_save

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


def _csv(client, survey):
    response = client.get(f"/surveys/{survey.slug}/results/csv/")
    assert response.status_code == 200

    async def read():
        return b"".join([chunk async for chunk in response.streaming_content])

    return list(csv.reader(io.StringIO(async_to_sync(read)().decode("utf-8-sig"))))


def test_anonymous_row_export_carries_no_respondent_attributes(anonymous_survey, author, client):
    ngo = Organization.objects.create(name="NGO", slug="ngo", kind="ngo")
    lone = Member.objects.create(email="lone@example.org", country="PE", organization=ngo)
    _answer(anonymous_survey, lone, {"role": ("gov", ""), "score": (2, "")}, language="fr")
    crowd = Member.objects.create(email="crowd@example.org", country="KE")
    _answer(anonymous_survey, crowd, {"role": ("other", ""), "score": (4, "")})
    client.force_login(author)
    rows = _csv(client, anonymous_survey)
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
    rows = _csv(client, open_survey)
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

"""The results CSV as an author downloads it: an anonymous survey's rows come in an
order unrelated to who answered first (the same on every download), a named survey's in
submission order, every response once however many chunks it is read in, and question
columns keyed like a fixed column kept apart from it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.clock import travel
from surveys import results
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from tests.surveys.downloads import csv_download

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _survey(author, doc, *, anonymous):
    doc["anonymous"] = anonymous
    survey = survey_import(owner=author, spec=survey_spec_read(doc))
    return survey_open(survey=survey, actor=author, public_link=True)


def _respond(client, survey, people, member_factory):
    """`people` members answer through the public link, an hour and a bit apart, each
    with their own text; returns those texts in submission order."""
    said = []
    for i in range(people):
        client.force_login(member_factory())
        with travel(START + timedelta(minutes=67 * i)):
            page = client.post(
                f"/surveys/p/{survey.public_token}/",
                {"q_role": "other", "q_why": f"person {i}", "q_score": "3", "action": "submit"},
            )
        assert page.status_code in (200, 302)
        said.append(f"person {i}")
    return said


def _column(rows, name):
    at = rows[0].index(name)
    return [row[at] for row in rows[1:]]


def test_anonymous_rows_are_not_in_submission_order(author, needs_doc, member_factory, client):
    survey = _survey(author, needs_doc, anonymous=True)
    submitted = _respond(client, survey, 30, member_factory)
    client.force_login(author)
    first, second = csv_download(client, survey), csv_download(client, survey)
    order = _column(first, "why")
    assert sorted(order) == sorted(submitted)
    assert order != submitted and order != submitted[::-1]
    assert second == first  # the same order on every download
    assert _column(first, "response") == [str(n) for n in range(1, 31)]


def test_named_rows_are_in_submission_order(author, needs_doc, member_factory, client):
    survey = _survey(author, needs_doc, anonymous=False)
    submitted = _respond(client, survey, 30, member_factory)
    client.force_login(author)
    rows = csv_download(client, survey)
    assert _column(rows, "why") == submitted
    assert _column(rows, "submitted_at") == sorted(_column(rows, "submitted_at"))


def test_a_survey_of_many_chunks_gives_every_response_once(
    author, needs_doc, member_factory, client, monkeypatch
):
    survey = _survey(author, needs_doc, anonymous=True)
    submitted = _respond(client, survey, 30, member_factory)
    client.force_login(author)
    with CaptureQueriesContext(connection) as whole:
        in_one = csv_download(client, survey)
    monkeypatch.setattr(results, "CSV_CHUNK", 7)  # 5 chunks
    with CaptureQueriesContext(connection) as chunked:
        in_five = csv_download(client, survey)
    assert sorted(_column(in_five, "why")) == sorted(submitted)
    assert _column(in_five, "response") == [str(n) for n in range(1, 31)]
    assert in_five == in_one  # the order does not depend on the chunks
    assert len(chunked) == len(whole) + 2 * 4  # two queries per chunk


def test_questions_keyed_like_fixed_columns_get_their_own_header(
    author, needs_doc, member_factory, client
):
    needs_doc["questions"] = [
        {"key": key, "type": "text", "text": {"en": key.title()}}
        for key in ("name", "email", "country")
    ]
    survey = _survey(author, needs_doc, anonymous=False)
    member = member_factory(full_name="Rosa Real", email="rosa@example.org", country="KE")
    client.force_login(member)
    answers = {"q_name": "Director", "q_email": "office@ngo.example", "q_country": "Kenia"}
    client.post(f"/surveys/p/{survey.public_token}/", {**answers, "action": "submit"})
    client.force_login(author)
    header, row = csv_download(client, survey)
    assert len(set(header)) == len(header)
    line = dict(zip(header, row, strict=True))
    assert (line["name"], line["email"], line["country"]) == ("Rosa Real", "rosa@example.org", "KE")
    assert (line["question:name"], line["question:email"], line["question:country"]) == (
        "Director",
        "office@ngo.example",
        "Kenia",
    )

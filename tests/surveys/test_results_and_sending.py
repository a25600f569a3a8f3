"""Results (tallies, cross-tabs with small cells suppressed, free texts, CSV, constant
queries) and distribution (invitations and one reminder, exactly once, in the
recipient's language, unsubscribe honoured; the author told at the close; feedback links)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.clock import now, travel
from members.models import Organization
from notifications.models import EmailOptOut, Notification, OutboundEmail
from surveys.models import Invitation, Response, Survey
from surveys.results import cross_tabs, results_document
from surveys.schema import survey_spec_read
from surveys.services.authoring import survey_import, survey_open
from surveys.services.distribution import (
    survey_remind,
    survey_send,
    survey_send_to_list,
    surveys_close_due,
)
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
def answered(open_survey, member_factory):
    from members.models import Member

    ngo = Organization.objects.create(name="NGO", slug="ngo", kind="ngo")
    for i in range(12):
        member = Member.objects.create(
            email=f"r{i}@example.org",
            country="KE" if i < 9 else "PE",
            organization=ngo if i % 2 else None,
        )
        role = "gov" if i < 8 else "other"
        answers = {"role": (role, ""), "score": (1 + i % 5, "")}
        if role == "other":
            answers["why"] = ('=HYPERLINK("http://evil")' if i == 8 else f"text {i}", "")
        _answer(open_survey, member, answers)
    return open_survey


def test_tallies_and_means(answered):
    result = results_document(answered)
    assert result["responses"] == 12
    role = result["questions"][0]
    assert role["counts"] == {"gov": 8, "other": 4}


def test_cross_tab_suppresses_small_cells(answered):
    title, tabs = cross_tabs(answered, questions_of(answered), by="country", language="en")
    role_tab = next(t for t in tabs if t.question.key == "role")
    assert role_tab.columns == ["Kenya", "Peru"]
    cells = dict(role_tab.rows)
    # Other is 4 | 0... or any split of 4: both cells under 5. Peru's column would hold
    # its small cell alone beside a 0, so the 0 is hidden, then the 8 beside it.
    assert cells["Government"] == [None, None]
    assert cells["Other"] == [None, None]


def test_cross_tab_by_another_answer(answered):
    _title, tabs = cross_tabs(answered, questions_of(answered), by="q:role", language="en")
    score = next(t for t in tabs if t.question.key == "score")
    assert score.columns == ["Government", "Other"]
    assert all(cell in (None, 0) for _label, cells in score.rows for cell in cells)
    # Score 3: two in Government, none in Other; the tallies show 2 for it, so with the
    # 0 shown the hidden Government cell would be known: the 0 is hidden too.
    assert dict(score.rows)["3"] == [None, None]


def test_results_page_query_count_does_not_grow(answered, author, client):
    from members.models import Member

    client.force_login(author)
    url = f"/surveys/{answered.slug}/results/?by=region"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for _ in range(10):
        member = Member.objects.create(email=f"br{_}@example.org", country="BR")
        _answer(answered, member, {"role": ("gov", ""), "score": (3, "")})
    with CaptureQueriesContext(connection) as second:
        page = client.get(url)
    assert len(second) == len(first)
    assert "<svg" in page.content.decode()
    assert "hidden to protect small groups" in page.content.decode()


def test_csv_is_one_row_per_response_and_formula_safe(answered, author, client):
    client.force_login(author)
    response = client.get(f"/surveys/{answered.slug}/results/csv/")
    from asgiref.sync import async_to_sync

    async def read():
        return b"".join([chunk async for chunk in response.streaming_content])

    body = async_to_sync(read)().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["response", "submitted_at", "language"]
    assert len(rows) == 13
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_csv_of_every_question_type_reads_a_fixed_number_of_queries(
    author, full_doc, member_factory, client
):
    from datetime import date

    full_doc["questions"].append(
        {
            "key": "sector",
            "type": "single",
            "other": True,
            "text": {"en": "Sector?"},
            "options": [{"key": "health", "text": {"en": "Health"}}],
        }
    )
    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(full_doc)), actor=author
    )
    answers = {
        "topics": (["cash", "_other"], "Health insurance"),
        "staff": (12, ""),
        "story": ("Long story", ""),
        "nps": (9, ""),
        "grid": ({"speed": "good", "cost": "bad"}, ""),
        "when": (date(2026, 3, 1), ""),
        "where": ("SN", ""),
        "name": ("Director", ""),
        "sector": ("_other", "Roads"),
    }

    def export():
        from asgiref.sync import async_to_sync

        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/surveys/{survey.slug}/results/csv/")

            async def read():
                return b"".join([chunk async for chunk in response.streaming_content])

            body = async_to_sync(read)().decode("utf-8-sig")
        return len(queries), list(csv.reader(io.StringIO(body)))

    def respond(count):
        for _ in range(count):
            _answer(survey, member_factory(), answers)

    client.force_login(author)
    respond(1)
    few, rows = export()
    respond(6)
    many, more_rows = export()
    assert many == few
    assert len(more_rows) == 1 + 7 and more_rows[0] == rows[0]
    assert len(set(rows[0])) == len(rows[0])
    line = dict(zip(rows[0], rows[1], strict=True))
    assert {k: v for k, v in line.items() if ":" in k or k in answers.keys() - {"name"}} == {
        "topics:cash": "1",
        "topics:pensions": "",
        "topics:jobs": "",
        "topics:_other": "Health insurance",
        "staff": "12",
        "story": "Long story",
        "nps": "9",
        "grid:speed": "good",
        "grid:cost": "bad",
        "when": "2026-03-01",
        "where": "SN",
        "question:name": "Director",  # "name" is the respondent's
        "sector": "_other",
        "sector:_other": "Roads",
    }


def test_free_text_search_and_hide(answered, author, client):
    client.force_login(author)
    page = client.get(f"/surveys/{answered.slug}/results/text/why/?q=text 1").content.decode()
    assert "text 11" in page and "text 9" not in page
    from surveys.models import Answer

    target = Answer.objects.get(text="text 9")
    client.post(f"/surveys/{answered.slug}/results/text/why/", {"answer": target.pk, "hidden": "1"})
    target.refresh_from_db()
    assert target.hidden


def test_strangers_see_no_results(answered, member_factory, client):
    client.force_login(member_factory())
    assert client.get(f"/surveys/{answered.slug}/results/").status_code == 403
    assert client.get(f"/surveys/{answered.slug}/results/csv/").status_code == 403
    assert client.get(f"/surveys/r/{answered.slug}/").status_code == 404
    answered.results_published = True
    answered.save()
    assert client.get(f"/surveys/r/{answered.slug}/").status_code == 200


# --- sending ------------------------------------------------------------------------------


@pytest.fixture
def community(author, member_factory):
    from communities.models import Community, Membership

    org = Organization.objects.create(name="Partner", slug="partner")
    c = Community.objects.create(name="Cash", slug="cash", organization=org)
    Membership.objects.create(community=c, member=author, role="owner", handle="ana")
    for i, language in enumerate(["fr", "es", "en"]):
        m = member_factory(language=language, email=f"{language}@example.org")
        Membership.objects.create(community=c, member=m, handle=f"m{i}")
    return c


def test_only_the_right_roles_send_to_an_audience(open_survey, author, community, member_factory):
    with pytest.raises(PermissionDenied):
        survey_send(survey=open_survey, actor=author, audience=Survey.Audience.EVERYONE)
    stranger = member_factory()
    open_survey.owner = stranger
    open_survey.save()
    with pytest.raises(PermissionDenied):
        survey_send(survey=open_survey, actor=stranger, audience="community", community=community)


def test_invitations_once_each_in_their_language_and_one_reminder(
    open_survey, author, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        added = survey_send(
            survey=open_survey, actor=author, audience="community", community=community
        )
    assert added == 4  # the owner too is a member
    assert len(mail.outbox) == 4
    french = next(m for m in mail.outbox if m.to[0] == "fr@example.org")
    assert "Enquête sur les besoins" in french.subject
    assert "/surveys/i/" in french.body and "List-Unsubscribe" in french.extra_headers
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            survey_send(survey=open_survey, actor=author, audience="community", community=community)
            == 0
        )
    assert len(mail.outbox) == 4
    # one answers; someone unsubscribes; the reminder goes to the rest, once
    first = Invitation.objects.get(email="fr@example.org")
    Invitation.objects.filter(pk=first.pk).update(responded=True)
    EmailOptOut.objects.create(email="es@example.org", category="surveys.invitation")
    with django_capture_on_commit_callbacks(execute=True):
        survey_remind(survey=open_survey, actor=author)
    reminders = [m for m in mail.outbox[4:]]
    assert sorted(m.to[0] for m in reminders) == ["author@example.org", "en@example.org"]
    with pytest.raises(ValidationError, match="sent already"):
        survey_remind(survey=open_survey, actor=author)
    assert OutboundEmail.objects.filter(dedupe_key__startswith="surveys.reminder").count() == 3


def test_email_list_gives_token_links_and_refuses_bad_lines_whole(
    open_survey, author, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        survey_send_to_list(
            survey=open_survey, actor=author, text="a@example.org\nnot-an-email\nb@example.org, de"
        )
    assert "Line 2" in error.value.messages[0] and "Line 3" in error.value.messages[1]
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        survey_send_to_list(
            survey=open_survey, actor=author, text="a@example.org\nb@example.org, es"
        )
    invitation = Invitation.objects.get(email="b@example.org")
    assert invitation.member is None and invitation.language == "es"
    assert any(invitation.token in m.body for m in mail.outbox)


def test_a_resend_asks_only_new_addresses_and_reads_no_invited_one_back(
    open_survey, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            survey_send_to_list(survey=open_survey, actor=author, text="a@example.org\nb@x.org")
            == 2
        )
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        added = survey_send_to_list(
            survey=open_survey,
            actor=author,
            text="A@Example.org, fr\nc@example.org\nC@example.org, es\nb@x.org",
        )
    for callback in callbacks:
        callback()
    assert added == 1  # c: a (in any case) and b were asked already; c once
    # The unique index skips the invited addresses: none is read back into the request.
    reads = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in reads if "surveys_invitation" in sql and "email" in sql]
    invitations = Invitation.objects.filter(survey=open_survey).order_by("email")
    assert [(i.email, i.language) for i in invitations] == [
        ("a@example.org", "en"),
        ("b@x.org", "en"),
        ("c@example.org", "en"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@x.org", "c@example.org"]


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_ask_everyone_once_and_count_each_new_address_once(author, needs_doc):
    """Two threads, two connections: on PostgreSQL both inserts meet on the unique index."""
    import threading

    from tests.threads import in_threads

    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(needs_doc)), actor=author
    )
    shared = [f"both{i}@example.org" for i in range(30)]
    lists = iter(
        [
            shared + [f"one{i}@example.org" for i in range(5)],
            [a.upper() for a in shared] + [f"two{i}@example.org" for i in range(7)],
        ]
    )
    barrier = threading.Barrier(2)
    added = []

    def send():
        text = "\n".join(next(lists))
        barrier.wait()
        added.append(survey_send_to_list(survey=survey, actor=author, text=text))

    in_threads(send, 2)
    assert len(added) == 2 and sum(added) == 30 + 5 + 7
    assert Invitation.objects.filter(survey=survey).count() == 42
    sent = [m.to[0].lower() for m in mail.outbox]
    assert len(sent) == len(set(sent)) == 42


def test_beat_closes_due_surveys_and_tells_the_author_once(open_survey, author):
    open_survey.closes_at = now() + timedelta(minutes=5)
    open_survey.save()
    with travel(now() + timedelta(minutes=10)):
        assert surveys_close_due() == 1
        assert surveys_close_due() == 0
    open_survey.refresh_from_db()
    assert open_survey.status == "closed"
    assert Notification.objects.filter(recipient=author, kind="surveys.closed").count() == 1


def test_webinar_followup_carries_the_attendees_personal_link(
    author, needs_doc, django_capture_on_commit_callbacks
):
    from surveys.services.distribution import feedback_attach
    from webinars.emails import followup_email
    from webinars.models import Registration, Session, Webinar

    author.role = "staff"
    author.save()
    webinar = Webinar.objects.create(slug="w", title="W", status="published")
    session = Session.objects.create(webinar=webinar, starts_at=now() - timedelta(hours=3))
    registration = Registration.objects.create(
        webinar=webinar,
        session=session,
        email="att@example.org",
        full_name="Att",
        language="fr",
        status="confirmed",
        created_at=now(),
        status_changed_at=now(),
        join_first_clicked_at=now(),
    )
    survey = survey_open(
        survey=survey_import(owner=author, spec=survey_spec_read(needs_doc)), actor=author
    )
    feedback_attach(survey=survey, actor=author, webinar=webinar)
    message = followup_email(registration, "thank_you")
    invitation = Invitation.objects.get(survey=survey, email="att@example.org")
    assert f"/surveys/i/{invitation.token}/" in message.body
    assert invitation.language == "fr" and invitation.source == "feedback"
    followup_email(registration, "thank_you")
    assert Invitation.objects.filter(survey=survey).count() == 1
    assert Response.objects.count() == 0
    assert json.dumps(results_document(survey))


def test_hiding_an_answer_keeps_a_search_with_a_line_break_or_ampersand(answered, author, client):
    # The search was pasted unquoted into the redirect: an "&" (or "#") in it cut the
    # search short when the page came back.
    from surveys.models import Answer

    client.force_login(author)
    target = Answer.objects.get(text="text 9")
    url = f"/surveys/{answered.slug}/results/text/why/"
    response = client.post(url, {"answer": target.pk, "hidden": "1", "q": "a&b\r\nSet-Cookie: x"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?q=a%26b%0D%0ASet-Cookie%3A+x"

"""Webinar pages as visitors and organizers meet them: forms, links, permissions, CSV."""

import csv
import io
from datetime import timedelta

import pytest

from core import clock
from webinars.links import manage_token
from webinars.models import Registration

pytestmark = pytest.mark.django_db


def form_data(session, **changes):
    data = {
        "session": session.pk,
        "email": "ama@example.org",
        "full_name": "Ama Mensah",
        "organization_name": "GH Ministry",
        "country": "GH",
        "language": "en",
        "time_zone": "Africa/Accra",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return data


def test_list_and_detail_show_times_in_the_viewers_zone_with_audience_clocks(
    frozen, webinar_factory, client
):
    webinar = webinar_factory(title="Adaptive SP", audience={"PH": 30, "KE": 20, "BR": 10})
    client.cookies["baraza_tz"] = "Asia/Manila"
    listing = client.get("/webinars/").content.decode()
    assert "Adaptive SP" in listing and "Thu 11 Mar 2027, 20:00 (Asia/Manila, UTC+8)" in listing
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "Thu 11 Mar 2027, 20:00 (Asia/Manila, UTC+8)" in page
    assert "also: Manila 20:00 · Nairobi 15:00 · Brasília 09:00" in page
    assert "zoom.example.org" not in page  # the platform URL is never public


def test_drafts_are_404_for_visitors(frozen, webinar_factory, client):
    webinar = webinar_factory(status="draft")
    assert client.get(f"/webinars/{webinar.slug}/").status_code == 404


def test_registering_through_the_form(
    frozen, webinar_factory, client, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = webinar_factory()
    session = webinar.sessions.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/webinars/{webinar.slug}/?src=newsletter", form_data(session, src="newsletter")
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.source, registration.country.code) == ("newsletter", "GH")
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"consent": ""}, "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "is not a known time zone"),
        ({"language": "xx"}, "is not a language Baraza speaks"),
        ({"full_name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(
    frozen, webinar_factory, client, changes, error
):
    webinar = webinar_factory()
    response = client.post(
        f"/webinars/{webinar.slug}/", form_data(webinar.sessions.get(), **changes)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Registration.objects.count() == 0


def test_the_honeypot_stores_nothing_and_tells_nothing(frozen, webinar_factory, client, mailoutbox):
    webinar = webinar_factory()
    response = client.post(
        f"/webinars/{webinar.slug}/",
        form_data(webinar.sessions.get(), website="http://spam.example"),
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 0 and mailoutbox == []


def test_registrations_are_rate_limited_per_address(frozen, webinar_factory, client, settings):
    settings.REGISTRATION_RATE_PER_ADDRESS = "2/3600"
    webinars = [webinar_factory() for _ in range(3)]
    codes = [
        client.post(f"/webinars/{w.slug}/", form_data(w.sessions.get())).status_code
        for w in webinars
    ]
    assert codes == [302, 302, 200]
    assert Registration.objects.count() == 2


def test_registrations_are_rate_limited_per_ip_even_with_forged_forwarded_for(
    frozen, webinar_factory, client, settings
):
    settings.REGISTRATION_RATE_PER_IP = "2/600"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # behind a proxy
    webinar = webinar_factory()
    codes = []
    for number in range(3):
        response = client.post(
            f"/webinars/{webinar.slug}/",
            form_data(webinar.sessions.get(), email=f"person{number}@example.org"),
            # the client makes up the first address; the proxy appends the real one
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7",
        )
        codes.append(response.status_code)
    assert codes == [302, 302, 200]
    assert "Too many registrations from here" in response.content.decode()
    assert Registration.objects.count() == 2


def test_join_link_redirects_only_when_open_and_hides_unknown_tokens(
    frozen, webinar_factory, register, client
):
    registration = register(webinar_factory()).registration
    start = registration.session.starts_at
    page = client.get(f"/j/{registration.join_token}")
    assert page.status_code == 200
    assert "Thu 11 Mar 2027, 12:00 (Africa/Accra, UTC+0)" in page.content.decode()
    with clock.travel(start - timedelta(minutes=5)):
        response = client.get(f"/j/{registration.join_token}")
    assert response.status_code == 302
    assert response["Location"] == registration.session.join_url
    assert client.get("/j/not-a-token").status_code == 404
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    assert client.get(f"/j/{registration.join_token}").status_code == 404


def test_manage_link_cancels_without_login_and_forged_tokens_are_404(
    frozen, webinar_factory, register, client
):
    registration = register(webinar_factory()).registration
    url = f"/webinars/registration/{manage_token(registration)}/"
    assert "Ama Mensah" in client.get(url).content.decode()
    client.post(url, {"action": "cancel", "confirm": "yes"})  # after the "Are you sure?"
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert client.get(url[:-5] + "xxxx/").status_code == 404


def test_organizer_pages_are_for_organizers_only(
    frozen, webinar_factory, register, organizer, member_factory, client
):
    webinar = webinar_factory()
    register(webinar)
    stranger = member_factory(role="partner_admin")
    client.force_login(stranger)
    for path in ("registrants/", "registrants.csv", "sessions/new/", "edit/"):
        assert client.get(f"/webinars/manage/{webinar.slug}/{path}").status_code == 403
    client.force_login(organizer)
    assert client.get(f"/webinars/manage/{webinar.slug}/registrants/").status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_registrants_csv_is_bom_utf8_and_formula_safe(
    frozen, webinar_factory, register, organizer, async_client
):
    from asgiref.sync import sync_to_async

    webinar = await sync_to_async(webinar_factory)()
    await sync_to_async(register)(
        webinar,
        "x@example.org",
        full_name='=HYPERLINK("evil")',
        organization_name="Ministère de l’Économie",
    )
    await sync_to_async(async_client.force_login)(organizer)
    response = await async_client.get(f"/webinars/manage/{webinar.slug}/registrants.csv")
    body = b"".join([chunk async for chunk in response.streaming_content])
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["email", "full_name", "organization_name"]
    assert rows[1][1] == '\'=HYPERLINK("evil")'
    assert rows[1][2] == "Ministère de l’Économie"


def test_organizer_creates_a_session_from_local_time_and_dst_gaps_are_refused(
    frozen, webinar_factory, organizer, client
):
    webinar = webinar_factory(sessions=0)
    client.force_login(organizer)
    url = f"/webinars/manage/{webinar.slug}/sessions/new/"
    gap = client.post(
        url,
        {"local_start": "2027-03-28T01:30", "host_zone": "Europe/London", "duration_minutes": 60},
    )
    assert "does not exist in Europe/London" in gap.content.decode()
    fold = client.post(  # the autumn hour that happens twice: which one is meant?
        url,
        {"local_start": "2027-10-31T01:30", "host_zone": "Europe/London", "duration_minutes": 60},
    )
    assert "happens twice in Europe/London" in fold.content.decode()
    assert not webinar.sessions.exists()
    response = client.post(
        url,
        {
            "local_start": "2027-03-29T10:00",
            "host_zone": "Europe/London",
            "duration_minutes": 60,
            "capacity": 50,
        },
    )
    assert response.status_code == 302
    session = webinar.sessions.get()
    assert session.starts_at.isoformat() == "2027-03-29T09:00:00+00:00"


def test_session_form_previews_audience_cities(frozen, webinar_factory, organizer, client):
    webinar = webinar_factory(sessions=0, audience={"IN": 40, "KE": 20})
    client.force_login(organizer)
    page = client.post(
        f"/webinars/manage/{webinar.slug}/sessions/new/",
        {
            "local_start": "2027-03-29T10:00",
            "host_zone": "Africa/Nairobi",
            "duration_minutes": 60,
            "preview": "1",
        },
    ).content.decode()
    assert "New Delhi: Mon 29 Mar, 12:30 (Asia/Kolkata)" in page
    assert webinar.sessions.count() == 0


def test_detail_page_query_count_does_not_grow_with_registrations(
    frozen, webinar_factory, register, client, django_assert_max_num_queries
):
    webinar = webinar_factory(sessions=2)
    register(webinar, "first@example.org")
    with django_assert_max_num_queries(12) as first:
        client.get(f"/webinars/{webinar.slug}/")
    for index in range(30):
        register(webinar, f"p{index}@example.org")
    webinar_factory(sessions=3)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(f"/webinars/{webinar.slug}/")
    with django_assert_max_num_queries(8):
        client.get("/webinars/")


def test_organizer_creates_a_webinar_with_questions_then_cancels_it(
    frozen, organizer, organization, client, mailoutbox, django_capture_on_commit_callbacks
):
    from webinars.models import Webinar

    client.force_login(organizer)
    data = {
        "title_en": "Digital ID",
        "slug": "digital-id",
        "description_en": "**Bold** <script>alert(1)</script>",
        "organizations": [organization.pk],
        "language": "en",
        "platform": "zoom",
        "status": "published",
        "audience_text": "KE=40, in=20",
        "reminder_text": "60, 1440",
        "questions_text": "*Your role? | Policymaker | Researcher\nWhat do you hope to learn?",
    }
    response = client.post("/webinars/manage/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    webinar = Webinar.objects.get(slug="digital-id")
    assert webinar.audience == {"KE": 40.0, "IN": 20.0}
    assert webinar.reminder_offsets == [1440, 60]
    assert "<script>" not in webinar.description_html
    assert "<strong>Bold</strong>" in webinar.description_html
    questions = list(webinar.questions.values_list("label", "kind", "required", "choices"))
    assert questions == [
        ("Your role?", "choice", True, ["Policymaker", "Researcher"]),
        ("What do you hope to learn?", "text", False, []),
    ]
    client.post(
        f"/webinars/manage/{webinar.slug}/sessions/new/",
        {"local_start": "2027-03-20T14:00", "host_zone": "Africa/Nairobi", "duration_minutes": 60},
    )
    session = webinar.sessions.get()
    visitor = client.__class__()
    answer = {
        "session": session.pk,
        "email": "w@example.org",
        "full_name": "W",
        "language": "en",
        "time_zone": "UTC",
        "consent": "on",
        f"q_{webinar.questions.first().pk}": "Policymaker",
    }
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(f"/webinars/{webinar.slug}/", answer)
    assert webinar.registrations.get().answers == {"Your role?": "Policymaker"}
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/webinars/manage/{webinar.slug}/edit/", {**data, "status": "cancelled"})
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert [m.subject for m in mailoutbox] == ["Cancelled: Digital ID"]


def test_weights_that_are_not_countries_are_a_clear_error(organizer, organization, client):
    client.force_login(organizer)
    response = client.post(
        "/webinars/manage/new/",
        {
            "title_en": "X",
            "slug": "x",
            "organizations": [organization.pk],
            "language": "en",
            "platform": "zoom",
            "status": "draft",
            "audience_text": "XX=10",
            "reminder_text": "60",
        },
    )
    assert "“XX” is not a country code." in response.content.decode()


def _webinar_with_audience(client, organization, audience_text: str, slug: str):
    return client.post(
        "/webinars/manage/new/",
        {
            "title_en": "X",
            "slug": slug,
            "organizations": [organization.pk],
            "language": "en",
            "platform": "zoom",
            "status": "draft",
            "audience_text": audience_text,
            "reminder_text": "60",
        },
    )


@pytest.mark.parametrize(
    "text, weights",
    [
        # The webinar form read weights with rules of its own; it now reads them as
        # `plan_webinar_slots --audience` and the planner page do.
        ("IN=40 ID=20", {"IN": 40.0, "ID": 20.0}),  # spaces separate, as in the command
        ("IN=1, IN=2", {"IN": 3.0}),  # a repeated country adds up (the form kept the last)
        ("in=40; KE", {"IN": 40.0, "KE": 1.0}),
        ("XK=5", {"XK": 5.0}),  # Kosovo has a time zone the planner knows
        ("", {}),  # the target audience is optional
    ],
)
def test_the_webinar_form_reads_country_weights_as_the_planner_does(
    organizer, organization, client, text, weights
):
    from webinars.models import Webinar
    from webinars.planner import parse_audience

    client.force_login(organizer)
    response = _webinar_with_audience(client, organization, text, "x")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Webinar.objects.get(slug="x").audience == weights
    if text:
        assert parse_audience(text) == weights


@pytest.mark.parametrize(
    "text, message",
    [
        ("IN=nan", "“IN=nan”: the weight must be above 0."),
        ("IN=inf", "“IN=inf”: the weight must be above 0."),
        ("IN=", "“IN=”: the weight must be a number."),
        ("BV=3", "“BV” is not a country code."),  # no time zone to plan for
        ("IN=0", "“IN=0”: the weight must be above 0."),
    ],
)
def test_country_weights_the_planner_refuses_are_a_field_error_on_the_webinar_form(
    organizer, organization, client, text, message
):
    from webinars.models import Webinar

    client.force_login(organizer)
    response = _webinar_with_audience(client, organization, text, "y")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Webinar.objects.filter(slug="y").exists()


def test_queries_per_registration_do_not_grow_with_registrations(
    frozen, webinar_factory, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    webinar = webinar_factory(capacity=5000)
    session = webinar.sessions.get()

    def queries_for(email: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"/webinars/{webinar.slug}/", form_data(session, email=email))
        assert response.status_code == 302
        return len(captured.captured_queries)

    first = queries_for("first@example.org")
    Registration.objects.bulk_create(
        Registration(
            webinar=webinar,
            session=session,
            email=f"bulk{i}@example.org",
            full_name="B",
            status="confirmed",
            created_at=frozen,
            status_changed_at=frozen,
        )
        for i in range(500)
    )
    assert queries_for("later@example.org") == first
    assert first <= 10


@pytest.mark.parametrize("session_value", ["other", "not-a-number", "", "99999"])
def test_a_session_not_open_on_this_page_is_refused_and_nothing_stored(
    frozen, webinar_factory, client, session_value
):
    webinar = webinar_factory(sessions=2)
    other = webinar_factory()
    value = str(other.sessions.get().pk) if session_value == "other" else session_value
    data = form_data(webinar.sessions.first())
    data["session"] = value
    response = client.post(f"/webinars/{webinar.slug}/", data)
    assert response.status_code == 200
    page = response.content.decode()
    expected = "This field is required" if value == "" else "Select a valid choice"
    assert expected in page
    assert not Registration.objects.exists()


def test_an_unknown_country_is_refused(frozen, webinar_factory, client):
    webinar = webinar_factory()
    response = client.post(
        f"/webinars/{webinar.slug}/", form_data(webinar.sessions.get(), country="XX")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Registration.objects.exists()


def test_after_the_close_time_the_page_says_so_and_a_late_post_is_refused(
    frozen, webinar_factory, client, mailoutbox
):
    webinar = webinar_factory(registration_closes_at=frozen - timedelta(hours=1))
    page = client.get(f"/webinars/{webinar.slug}/").content.decode()
    assert "Registration has closed." in page
    assert 'name="email"' not in page  # no form to fill in for nothing
    response = client.post(f"/webinars/{webinar.slug}/", form_data(webinar.sessions.get()))
    assert response.status_code == 200
    assert "Registration has closed." in response.content.decode()
    assert not Registration.objects.exists() and mailoutbox == []

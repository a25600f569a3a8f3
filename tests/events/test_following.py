"""Following an organization (issue #12): from an event's page or the calendar narrowed
to it, its published calendar joins the member's personal feed, as its own feed carries
it; unfollowing takes it out."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from members.models import Organization, OrganizationFollow
from tests.buttons import buttons, press
from tests.events.calendars import expanded, parsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(calendar_rows, event_factory):
    """Kenya SP's events no one may see yet or ever, and another organization's."""
    other = Organization.objects.create(name="Other", slug="other")
    forum = event_factory(title="Other forum", starts_at=datetime(2027, 3, 10, 9, 0, tzinfo=UTC))
    forum.organizations.set([other])
    for review in (Event.Review.PENDING, Event.Review.REJECTED):
        event_factory(
            title=f"{review} idea", review=review, starts_at=datetime(2027, 3, 11, tzinfo=UTC)
        )
    return other


def _feed(client) -> bytes:
    """The member's personal feed, from the address their calendar page gives."""
    page = client.post("/events/my-calendar/", follow=True).content.decode()
    path = re.search(r'value="http://127\.0\.0\.1:8000(/events/feed/[^"]+\.ics)"', page).group(1)
    response = client.get(path)
    assert response.status_code == 200
    return response.content


def _summaries(content: bytes) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in parsed(content).walk("VEVENT"))


KENYA_SP = [
    "Call for papers",
    "Cash plus",
    "Dakar seminar",
    "Registry course",
    "Registry course (moved)",
]


def test_following_from_an_event_page_brings_its_calendar_into_the_personal_feed(
    calendar_rows, elsewhere, client, member_factory
):
    client.force_login(member_factory())
    assert _summaries(_feed(client)) == []
    Event.objects.filter(title="Dakar seminar").update(status=Event.Status.CANCELLED, sequence=2)
    page = f"/events/{calendar_rows.pk}/"
    assert "Follow Kenya SP" in buttons(client.get(page).content)

    response = press(client, page, "Follow Kenya SP")

    assert response.redirect_chain[-1][0] == page
    assert "Unfollow Kenya SP" in buttons(response.content)
    assert "You follow Kenya SP" in response.content.decode()
    content = _feed(client)
    assert _summaries(content) == KENYA_SP  # not Other's, not the pending or rejected one
    dakar = next(e for e in parsed(content).walk("VEVENT") if str(e["SUMMARY"]) == "Dakar seminar")
    assert (str(dakar["STATUS"]), int(dakar["SEQUENCE"])) == ("CANCELLED", 2)
    occurrences = expanded(content, date(2027, 3, 1), date(2027, 7, 1))
    course = [o for o in occurrences if str(o["SUMMARY"]).startswith("Registry course")]
    assert len(course) == 7  # eight Mondays, one skipped, one moved to a Tuesday
    assert {str(o["SUMMARY"]) for o in occurrences} == set(KENYA_SP)


def test_unfollowing_from_the_settings_page_takes_them_out_and_keeps_registrations(
    calendar_rows, client, member_factory, register
):
    from webinars.models import Webinar

    member = member_factory()
    client.force_login(member)
    register(Webinar.objects.get(title="Cash plus"), email=member.email)
    press(client, f"/events/{calendar_rows.pk}/", "Follow Kenya SP")
    assert _summaries(_feed(client)) == KENYA_SP

    response = press(client, "/members/settings/", "Unfollow Kenya SP")

    assert response.redirect_chain[-1][0] == "/members/settings/"
    assert "You no longer follow Kenya SP" in response.content.decode()
    assert "Unfollow Kenya SP" not in buttons(response.content)
    assert _summaries(_feed(client)) == ["Cash plus"]  # the registration stays
    again = client.post("/members/organizations/kenya-sp/unfollow/", {"next": "/events/"})
    assert (again.status_code, again["Location"]) == (302, "/events/")


def test_a_registered_session_and_an_event_of_two_followed_organizations_are_there_once(
    calendar_rows, elsewhere, client, member_factory, register, organization, event_factory
):
    from webinars.models import Webinar

    member = member_factory()
    client.force_login(member)
    registration = register(Webinar.objects.get(title="Cash plus"), email=member.email)
    summit = event_factory(title="Joint summit", starts_at=datetime(2027, 5, 4, tzinfo=UTC))
    summit.organizations.set([organization, elsewhere])
    press(client, f"/events/{summit.pk}/", "Follow Kenya SP")
    press(client, f"/events/{summit.pk}/", "Follow Other")

    entries = parsed(_feed(client)).walk("VEVENT")

    assert sorted(str(e["SUMMARY"]) for e in entries) == sorted(
        [*KENYA_SP, "Joint summit", "Other forum"]
    )
    cash_plus = next(e for e in entries if str(e["SUMMARY"]) == "Cash plus")
    assert str(cash_plus["UID"]) == registration.registration.ical_uid


def test_the_feed_makes_as_many_queries_for_five_followed_organizations_as_for_one(
    frozen, client, member_factory, event_factory, webinar_factory
):
    member = member_factory()
    client.force_login(member)
    organizations = []
    for n in range(5):
        organization = Organization.objects.create(name=f"Partner {n}", slug=f"partner-{n}")
        start = frozen + timedelta(days=n + 1)
        webinar_factory(title=f"Webinar {n}", starts_at=start).organizations.set([organization])
        for title, rule in ((f"Course {n}", "FREQ=WEEKLY;COUNT=4"), (f"Forum {n}", "")):
            event = event_factory(title=title, starts_at=start, rrule=rule)
            event.organizations.set([organization])
        series = Event.objects.get(title=f"Course {n}")
        Event.objects.create(
            owner=series.owner,
            uid=series.uid,
            recurrence_of=series,
            recurrence_id=series.starts_at + timedelta(days=7),
            title=f"Course {n} (moved)",
            starts_at=series.starts_at + timedelta(days=8),
            ends_at=series.starts_at + timedelta(days=8, hours=2),
            review=Event.Review.APPROVED,
        )
        organizations.append(organization)
    path = re.search(
        r"(/events/feed/[^\"]+\.ics)",
        client.post("/events/my-calendar/", follow=True).content.decode(),
    ).group(1)

    def visit(following: list[Organization]) -> tuple[int, int]:
        OrganizationFollow.objects.all().delete()
        for organization in following:
            OrganizationFollow.objects.create(member=member, organization=organization)
        with CaptureQueriesContext(connection) as captured:
            content = client.get(path).content
        return len(captured), len(parsed(content).walk("VEVENT"))

    one, five = visit(organizations[:1]), visit(organizations)
    assert (one[1], five[1]) == (4, 20)  # a webinar, a series, its moved date, a forum each
    assert one[0] == five[0]


def test_a_visitor_pressing_follow_logs_in_and_comes_back_to_the_page(
    calendar_rows, client, member_factory
):
    member = member_factory(email="ama@example.org")
    page = f"/events/{calendar_rows.pk}/"

    response = press(client, page, "Follow Kenya SP")

    assert response.redirect_chain[0][0] == f"/accounts/login/?next={page}"
    assert not OrganizationFollow.objects.exists()
    login = client.post(
        response.redirect_chain[0][0], {"login": member.email, "password": "a-long-pass-phrase-42"}
    )
    assert (login.status_code, login["Location"]) == (302, page)
    assert client.get("/members/organizations/kenya-sp/follow/").status_code == 405


@pytest.mark.parametrize(
    "slug",
    ["no-such-org", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "kenya-sp%0D%0A", "..%2F..%2Fadmin"],
)
def test_an_unknown_or_hostile_organization_is_not_found_and_changes_nothing(
    calendar_rows, client, member_factory, slug
):
    client.force_login(member_factory())
    for action in ("follow", "unfollow"):
        response = client.post(f"/members/organizations/{slug}/{action}/", {"next": "/events/"})
        assert response.status_code == 404
    assert not OrganizationFollow.objects.exists()
    page = client.get(f"/events/?organization={slug}")
    assert page.status_code == 200
    assert not [b for b in buttons(page.content) if b.startswith("Follow")]
    assert "<script>alert" not in page.content.decode()


def test_the_calendar_narrowed_to_one_organization_offers_to_follow_it(
    calendar_rows, client, member_factory
):
    client.force_login(member_factory())
    assert not [b for b in buttons(client.get("/events/").content) if "Follow" in b]
    page = "/events/?organization=kenya-sp&view=month"

    response = press(client, page, "Follow Kenya SP")

    assert response.redirect_chain[-1][0] == page
    assert "Unfollow Kenya SP" in buttons(response.content)
    assert "Unfollow Kenya SP" in buttons(client.get("/events/my-calendar/").content)


def test_the_buttons_speak_the_members_language(calendar_rows, client, member_factory):
    client.force_login(member_factory(language="fr"))
    response = press(client, f"/events/{calendar_rows.pk}/", "Suivre Kenya SP")
    assert "Ne plus suivre Kenya SP" in buttons(response.content)
    assert "Vous suivez Kenya SP : ses événements" in response.content.decode()

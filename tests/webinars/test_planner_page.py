"""The planner page: grid, world clock, "use this time", errors, registrants as audience."""

from urllib.parse import urlencode

import pytest
from django.utils import timezone

from webinars.models import Registration

pytestmark = pytest.mark.django_db

BASE = {
    "date": "2027-03-29",
    "days": 1,
    "duration": 60,
    "window": "08:00-19:00",
    "preferred": "09:00-17:00",
    "step": 30,
}


def plan(client, **params):
    return client.get("/webinars/plan/?" + urlencode({**BASE, **params}, doseq=True))


def test_planner_needs_login(client):
    assert client.get("/webinars/plan/").status_code == 302


def test_grid_proposes_a_pair_and_links_to_the_session_form(client, member_factory):
    client.force_login(member_factory())
    html = plan(client, audience="IN=50,CO=50", webinar="cash").content.decode()
    assert "/webinars/manage/cash/sessions/new/?start_utc=2027-03-29T03%3A30%3A00Z" in html
    html = plan(client, audience="IN=50,CO=50").content.decode()
    assert "the best reaches 50%" in html and "reach 100%" in html
    assert "start_utc=2027-03-29T03%3A30%3A00Z&amp;chosen=" in html


def test_world_clock_for_the_chosen_start(client, member_factory):
    client.force_login(member_factory())
    response = plan(
        client,
        regions=["south_asia", "north_america"],
        days=2,
        window="08:00-21:00",
        chosen="2027-03-29T14:00:00Z",
    )
    assert response.status_code == 200
    assert "Asia/Kathmandu" in response.content.decode()


def test_bad_input_is_shown_as_errors(client, member_factory):
    client.force_login(member_factory())
    html = plan(
        client, audience="XX", days=20, window="21:00-08:00", panelists="Mars"
    ).content.decode()
    assert html.count('class="errorlist') >= 2


def test_a_webinars_registrants_as_audience_only_for_its_organizers(
    client, organizer, webinar_factory, member_factory
):
    webinar = webinar_factory(slug="cash")
    for index, country in enumerate(["IN", "IN", "KE"]):
        Registration.objects.create(
            webinar=webinar,
            session=webinar.sessions.first(),
            email=f"p{index}@x.org",
            full_name="P",
            status="confirmed",
            created_at=timezone.now(),
            status_changed_at=timezone.now(),
            country=country,
        )
    client.force_login(organizer)
    html = plan(client, use_registrants="on", webinar="cash", window="08:00-21:00").content.decode()
    assert "errorlist" not in html and "Kenya" in html and "India" in html
    client.force_login(member_factory())
    html = plan(client, use_registrants="on", webinar="cash").content.decode()
    assert "No webinar you organize" in html

"""A newcomer's first visit: times in their zone without loading the page twice, a zone
picker that finds their zone, and tap targets a thumb can hit."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from members.models import Organization
from webinars.models import Registration, Session, Webinar

pytestmark = pytest.mark.e2e


@pytest.fixture
def webinar(transactional_db):
    org = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    start = (datetime.now(UTC) + timedelta(days=20)).replace(
        hour=6, minute=0, second=0, microsecond=0
    )
    webinar = Webinar.objects.create(
        slug="adaptive-sp", title="Adaptive SP", status="published", audience={"PH": 50, "KE": 50}
    )
    webinar.organizations.add(org)
    Session.objects.create(
        webinar=webinar, starts_at=start, duration_minutes=90, host_zone="Asia/Manila"
    )
    return webinar


def test_a_first_visit_from_manila_shows_manila_times_with_one_page_load(
    live, page_in_zone, webinar
):
    page = page_in_zone("Asia/Manila")
    documents = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else 0)
    url = f"{live.url}/webinars/{webinar.slug}/"
    page.goto(url)
    page.wait_for_function("document.querySelector('.when').textContent.includes('Asia/Manila')")
    page.wait_for_timeout(1500)  # long enough for a reload, were there one, to start
    assert documents == [url]

    local = webinar.sessions.get().starts_at.astimezone(ZoneInfo("Asia/Manila"))
    when = f"{local:%a} {local.day} {local:%b %Y}, 14:00 (Asia/Manila, UTC+8)"
    assert page.locator(".when").first.inner_text() == when
    assert page.locator("#current-zone").inner_text() == "Asia/Manila, UTC+8"
    assert page.get_by_label("Your time zone").input_value() == "Asia/Manila"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["baraza_tz"] == "Asia/Manila"

    # Every tap target of the form is at least 24x24 px, the consent box included.
    targets = page.locator(  # the honeypot is off-screen, for bots only
        "form.panel p:not(.hp) input:visible, form.panel select:visible, form.panel button"
    )
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, targets.nth(index).get_attribute("name")

    page.get_by_label("Email:", exact=True).fill("jose@example.ph")
    page.get_by_label("Full name").fill("José Reyes")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/registered/"))
    assert Registration.objects.get().time_zone == "Asia/Manila"
    # The next page is rendered in Manila by the server: no <time> left to rewrite.
    page.goto(url)
    assert "(Asia/Manila, UTC+8)" in page.locator(".when").first.inner_text()
    assert page.locator("time[data-local]").count() == 0


def test_a_browser_naming_an_old_zone_sees_the_current_name_and_can_search_zones(
    live, page_in_zone, webinar
):
    page = page_in_zone("Asia/Kolkata")  # Chromium reports it as Asia/Calcutta
    page.goto(f"{live.url}/webinars/{webinar.slug}/")
    page.wait_for_function("document.querySelector('.when').textContent.includes('Asia/')")
    assert "(Asia/Kolkata, UTC+5:30)" in page.locator(".when").first.inner_text()
    assert page.locator("#current-zone").inner_text() == "Asia/Kolkata, UTC+5:30"
    assert page.get_by_label("Your time zone").input_value() == "Asia/Kolkata"

    search = page.get_by_label("Search every time zone")
    search.fill("katmandu")  # an old name finds the zone under its current one
    page.wait_for_function(
        "document.querySelector('#id_time_zone').value === 'Asia/Kathmandu'", timeout=5000
    )
    assert "Kathmandu (UTC+5:45)" in page.locator("#id_time_zone").inner_text()

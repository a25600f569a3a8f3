"""axe-core, in Chromium, over the pages a newcomer, a member, staff and a moderator meet:
none may have a serious or critical violation (contrast, names, labels, landmarks,
keyboard-reachable scroll regions...)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from communities.services.membership import membership_add
from communities.services.posts import thread_create
from communities.services.spaces import community_create
from core import clock
from members.models import Organization, Role
from tests.e2e.test_community_journey import log_in
from tests.webinars.test_attendance_support import FIXTURES, add_registrants, run
from webinars.links import manage_token
from webinars.models import Session, Webinar

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
# axe's defaults, plus a rule it still calls experimental: a control's name must contain
# the words it shows (voice control users say what they see).
OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def blocking_violations(page) -> list[str]:
    """What axe finds of impact serious or critical, one line per rule: id, help, targets."""
    results = Axe().run(page, options=OPTIONS).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(" ".join(map(str, node["target"])) for node in v["nodes"][:6])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def webinar_with_a_session(org, *, slug, title, starts_at) -> Webinar:
    webinar = Webinar.objects.create(slug=slug, title=title, status="published")
    webinar.organizations.add(org)
    Session.objects.create(
        webinar=webinar,
        starts_at=starts_at,
        duration_minutes=90,
        host_zone="Africa/Nairobi",
        join_url=f"https://zoom.example.org/j/{slug}",
    )
    return webinar


def test_no_serious_or_critical_violations(live, page_in_zone, member_factory):
    org = Organization.objects.create(name="Kenya SP", slug="kenya-sp", country="KE")
    staff = member_factory(email="staff@example.org", full_name="Staff Person", role=Role.STAFF)
    moderator = member_factory(email="mod@example.org", full_name="Moussa Ndiaye")
    ama = member_factory(email="ama@example.org", full_name="Ama Mensah")
    community = community_create(
        creator=staff, organization=org, slug="sahel-cash", name="Sahel cash"
    )
    membership_add(community=community, member=moderator, role="moderator")
    membership_add(community=community, member=ama)
    thread = thread_create(
        community=community,
        author=ama,
        title="Paying on time in the lean season",
        body="How fast do your **top-ups** arrive?",
    )
    upcoming = webinar_with_a_session(
        org,
        slug="adaptive-sp",
        title="Adaptive social protection",
        starts_at=clock.now().replace(microsecond=0) + timedelta(days=20),
    )
    past = webinar_with_a_session(
        org,
        slug="cash-and-climate",
        title="Cash and climate",
        starts_at=clock.now().replace(microsecond=0) - timedelta(days=30),
    )
    add_registrants(past)
    assert run(past.slug, str(FIXTURES / "zoom_webinar_attendee_report.csv"))[2] == 0

    found: dict[str, list[str]] = {}

    def check(page, name: str) -> None:
        page.wait_for_load_state("load")
        found[name] = blocking_violations(page)

    visitor = page_in_zone("Asia/Manila")
    visitor.goto(live.url + "/")
    check(visitor, "home")
    visitor.goto(f"{live.url}/webinars/{upcoming.slug}/")
    check(visitor, "webinar")
    # Registering with nothing filled in (past the browser's own checks, as an old
    # browser would send it): the page again, with its errors.
    register = visitor.get_by_role("button", name="Register")
    register.evaluate("button => { button.form.noValidate = true; }")
    register.click()
    visitor.wait_for_load_state()
    assert visitor.locator(".errorlist").count() > 0
    check(visitor, "registration with errors")

    member = page_in_zone("Africa/Accra")
    log_in(member, live, ama, f"/communities/{community.slug}/threads/{thread.pk}/")
    check(member, "thread")
    member.goto(f"{live.url}/communities/{community.slug}/chat/")
    member.wait_for_selector("#chat.live")
    check(member, "chat")
    member.goto(f"{live.url}/members/settings/")
    check(member, "settings")

    staffer = page_in_zone("Africa/Nairobi")
    log_in(staffer, live, staff, "/webinars/analytics/platform/")
    check(staffer, "analytics")
    assert staffer.locator("svg.chart-svg").count() > 0  # the charts are there to check
    staffer.goto(f"{live.url}/webinars/manage/{past.slug}/analytics/")
    check(staffer, "webinar analytics")
    staffer.goto(f"{live.url}/webinars/plan/")
    check(staffer, "planner")
    staffer.goto(
        f"{live.url}/webinars/plan/?date=2027-03-29&days=1&duration=60&window=08:00-19:00"
        "&preferred=09:00-17:00&step=30&audience=IN%3D40%2C+PH%3D30%2C+KE%3D30"
    )
    assert staffer.locator(".planner-grid").count() == 1
    check(staffer, "planner with a grid")
    # The organizer's own pages too.
    staffer.goto(f"{live.url}/webinars/manage/")
    check(staffer, "organizer dashboard")
    staffer.goto(f"{live.url}/webinars/manage/{past.slug}/registrants/")
    check(staffer, "registrants")
    staffer.goto(f"{live.url}/webinars/manage/{past.slug}/attendance/")
    check(staffer, "attendance")
    # A registrant's manage link, and the "Are you sure?" of cancelling.
    registration = past.registrations.filter(status="confirmed").first()
    visitor.goto(f"{live.url}/webinars/registration/{manage_token(registration)}/")
    check(visitor, "manage registration")
    visitor.get_by_role("button", name="Cancel my registration").click()
    visitor.get_by_role("button", name="Yes, cancel my registration").wait_for()
    check(visitor, "cancel: are you sure?")

    # On a phone the charts and tables scroll sideways: each region takes keyboard focus.
    phone = page_in_zone("Africa/Nairobi", width=360)
    log_in(phone, live, staff, f"/webinars/manage/{past.slug}/analytics/")
    check(phone, "webinar analytics on a phone")
    chart = phone.locator("#chart-country .chart-scroll")
    assert chart.evaluate("region => region.scrollWidth > region.clientWidth")
    phone.goto(f"{live.url}/webinars/analytics/platform/")
    check(phone, "analytics on a phone")
    for path in ("/webinars/manage/", f"/webinars/manage/{past.slug}/registrants/"):
        phone.goto(live.url + path)
        check(phone, f"{path} on a phone")
        # wide tables scroll in their own region; the page itself never sideways
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path

    moderating = page_in_zone("Africa/Dakar")
    log_in(moderating, live, moderator, "/communities/moderation/")
    check(moderating, "moderation")

    failing = {name: lines for name, lines in found.items() if lines}
    assert not failing, "\n".join(
        f"{name}:\n  " + "\n  ".join(lines) for name, lines in failing.items()
    )

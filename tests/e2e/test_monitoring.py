"""Usage monitoring in a browser: page views a real server records (not a Do Not Track
browser's, not a secret link's token), the day's report, and the staff dashboard, exports
and a member's data page passing axe, on a desktop and a phone."""

import json
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from core import clock
from members.models import Organization, Role
from monitoring.models import UsageEvent
from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_community_journey import log_in
from webinars.models import Session, Webinar
from webinars.services import registration_create

pytestmark = pytest.mark.e2e

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


def wait_for_page_views(count: int, timeout: float = 20) -> list[str]:
    """The server writes its buffer every USAGE_FLUSH_SECONDS (2 s by default)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        paths = list(UsageEvent.objects.filter(kind="pageview").values_list("path", flat=True))
        if len(paths) >= count:
            return paths
        time.sleep(0.3)
    return paths


def test_page_views_the_report_and_the_dashboard(live, chromium, member_factory):
    organization = Organization.objects.create(name="Kenya SP", slug="kenya-sp", country="KE")
    staff = member_factory(email="staff@example.org", full_name="Staff Person", role=Role.STAFF)
    ama = member_factory(email="ama@example.org", full_name="Ama Mensah")
    webinar = Webinar.objects.create(slug="adaptive-sp", title="Adaptive SP", status="published")
    webinar.organizations.add(organization)
    session = Session.objects.create(
        webinar=webinar,
        starts_at=clock.now().replace(microsecond=0) + timedelta(days=5),
        duration_minutes=60,
        host_zone="Africa/Nairobi",
    )
    token = registration_create(
        webinar=webinar,
        session=session,
        email="zawadi@example.org",
        full_name="Zawadi",
        consent=True,
    ).registration.join_token

    visitor = chromium.new_context(user_agent=BROWSER, timezone_id="Asia/Manila").new_page()
    for path in ("/", "/webinars/", f"/j/{token}"):
        visitor.goto(live.url + path)
    private = chromium.new_context(user_agent=BROWSER, extra_http_headers={"DNT": "1"})
    private.new_page().goto(live.url + "/webinars/")

    paths = wait_for_page_views(3)
    assert sorted(paths) == ["/", "/j/…", "/webinars/"]
    assert not any(token in path for path in paths)
    # The zone cookie (set by a script on the first page) tells the country from then on.
    webinars = UsageEvent.objects.get(path="/webinars/")
    assert (webinars.country, webinars.device) == ("PH", "desktop")

    out = StringIO()
    call_command("usage_report", "--date", clock.now().date().isoformat(), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["page_views"], report["visitors"]) == (3, 1)
    assert {"path": "/j/…", "views": 1} in report["top_pages"]

    found: dict[str, list[str]] = {}
    today = clock.now().date().isoformat()
    staffer = chromium.new_context(user_agent=BROWSER).new_page()
    log_in(staffer, live, staff, "/monitoring/")
    staffer.goto(f"{live.url}/monitoring/?start={today}&end={today}")
    assert staffer.locator("svg.chart-svg").count() > 0
    assert "/j/…" in staffer.content()
    found["dashboard"] = blocking_violations(staffer)
    staffer.goto(f"{live.url}/monitoring/exports/")
    found["exports"] = blocking_violations(staffer)

    phone_context = chromium.new_context(
        user_agent=BROWSER, viewport={"width": 360, "height": 800}, is_mobile=True
    )
    phone = phone_context.new_page()
    log_in(phone, live, staff, "/monitoring/")
    phone.goto(f"{live.url}/monitoring/?start={today}&end={today}")
    found["dashboard on a phone"] = blocking_violations(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    member = chromium.new_context(user_agent=BROWSER).new_page()
    log_in(member, live, ama, "/monitoring/my-data/")
    found["my data"] = blocking_violations(member)

    failing = {name: lines for name, lines in found.items() if lines}
    assert not failing, failing

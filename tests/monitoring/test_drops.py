"""Events no process could record are counted in the database, for every process, and
staff see on the dashboard how many the period's figures leave out."""

import pytest

from core.usage import usage_record
from members.models import Organization, Role
from monitoring import drops, recording
from monitoring.models import DroppedUsage, UsageEvent

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2027-03-01", "end": "2027-03-10"}  # conftest's NOW is the 10th


def test_a_full_buffer_drops_new_events_counts_them_and_logs_once(
    browser, frozen, settings, caplog
):
    settings.USAGE_BUFFER_LIMIT = 2
    with caplog.at_level("ERROR", logger="baraza.usage"):
        for _ in range(5):
            browser.get("/")
    assert recording.buffered() == 2
    [record] = caplog.records
    assert record.getMessage().startswith("usage: buffer full (2 events)")
    assert recording.flush() == 2
    assert UsageEvent.objects.count() == 2
    assert DroppedUsage.objects.get(day=frozen.date()).events == 3
    browser.get("/")  # room again
    assert recording.buffered() == 1


def test_staff_see_the_events_every_process_dropped_in_the_period(
    browser, frozen, settings, member_factory
):
    DroppedUsage.objects.create(day=frozen.date(), events=5)  # another process's
    settings.USAGE_BUFFER_LIMIT = 1
    browser.get("/")
    browser.get("/webinars/")  # the buffer is full: dropped
    recording.flush()
    request = browser.get("/").wsgi_request
    usage_record(kind="download", request=request, organization=-1)  # the row is refused
    recording.flush()
    assert drops.dropped() >= 2
    assert DroppedUsage.objects.get(day=frozen.date()).events == 7

    staff = member_factory(role=Role.STAFF)
    browser.force_login(staff)
    page = browser.get("/monitoring/", PERIOD).content.decode()
    assert "7 usage events of this period could not be recorded" in page
    earlier = browser.get("/monitoring/", {"start": "2027-03-01", "end": "2027-03-09"})
    assert "could not be recorded" not in earlier.content.decode()
    staff.language = "es"
    staff.save()
    page = browser.get("/monitoring/", PERIOD).content.decode()
    assert "7 eventos de uso de este período no pudieron registrarse" in page


def test_a_partner_admin_does_not_see_the_platforms_dropped_events(browser, frozen, member_factory):
    DroppedUsage.objects.create(day=frozen.date(), events=4)
    ours = Organization.objects.create(name="DSWD", slug="dswd", country="PH", kind="government")
    admin = member_factory(role=Role.PARTNER_ADMIN, organization=ours)
    browser.force_login(admin)
    page = browser.get("/monitoring/", PERIOD).content.decode()
    assert "could not be recorded" not in page

"""A partner's feed served by a real local HTTP server: ETag honoured (the second poll
transfers nothing), vanished events cancelled, limits and private addresses refused."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from events.models import CalendarSubscription, Event
from events.services.subscriptions import subscription_poll
from events.tasks import subscriptions_poll_due

pytestmark = pytest.mark.django_db

GOOGLE = (Path(__file__).parent / "fixtures" / "google_export.ics").read_bytes()


class Feed:
    def __init__(self):
        self.body = GOOGLE
        self.etag = '"v1"'
        self.log: list[tuple[str, int]] = []  # (path, body bytes sent)
        self.redirects = 0
        self.redirect_to = ""  # where /away sends the client
        self.hosts: list[str] = []  # the Host header of each request


@pytest.fixture
def feed_server(settings):
    settings.EVENTS_FEED_ALLOW_PRIVATE = True
    state = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            state.hosts.append(self.headers.get("Host", ""))
            if self.path == "/away":
                state.log.append((self.path, 0))
                self.send_response(302)
                self.send_header("Location", state.redirect_to)
                self.end_headers()
                return
            if self.path.startswith("/hop"):
                hop = int(self.path[4:] or 0)
                state.log.append((self.path, 0))  # before answering: the test reads it next
                self.send_response(302)
                self.send_header("Location", f"/hop{hop + 1}" if hop < 9 else "/feed.ics")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == state.etag:
                state.log.append((self.path, 0))
                self.send_response(304)
                self.end_headers()
                return
            state.log.append((self.path, len(state.body)))
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("ETag", state.etag)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def _subscribe(organization, url):
    return CalendarSubscription.objects.create(organization=organization, url=url)


def test_polling_imports_then_the_etag_makes_the_second_poll_transfer_nothing(
    organization, feed_server
):
    subscription = _subscribe(organization, feed_server.url + "/feed.ics")
    first = subscription_poll(subscription_id=subscription.pk)
    assert (first.created, first.cancelled) == (4, 1)
    second = subscription_poll(subscription_id=subscription.pk)
    assert second is None  # 304: nothing to import
    assert feed_server.log == [("/feed.ics", len(GOOGLE)), ("/feed.ics", 0)]
    subscription.refresh_from_db()
    assert subscription.etag == '"v1"' and subscription.last_error == ""
    assert Event.objects.filter(source=subscription).count() == 5


def test_an_event_that_vanished_from_the_feed_is_cancelled_not_deleted(organization, feed_server):
    subscription = _subscribe(organization, feed_server.url + "/feed.ics")
    subscription_poll(subscription_id=subscription.pk)
    start = GOOGLE.index(b"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE")
    end = GOOGLE.index(b"END:VEVENT\r\n", start) + len(b"END:VEVENT\r\n")
    feed_server.body, feed_server.etag = GOOGLE[:start] + GOOGLE[end:], '"v2"'
    result = subscription_poll(subscription_id=subscription.pk)
    assert (result.created, result.updated, result.cancelled) == (0, 0, 1)
    tour = Event.objects.get(title__startswith="Study tour")
    assert tour.status == Event.Status.CANCELLED


def test_the_worker_pass_polls_every_active_feed(organization, feed_server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    _subscribe(organization, feed_server.url + "/feed.ics")
    assert subscriptions_poll_due.apply().get() == 1
    assert Event.objects.count() == 5


def test_too_many_redirects_too_large_and_bad_feeds_leave_the_last_error(
    organization, feed_server, settings
):
    looping = _subscribe(organization, feed_server.url + "/hop0")
    assert subscription_poll(subscription_id=looping.pk) is None
    looping.refresh_from_db()
    assert looping.last_error == "more than 3 redirects"
    settings.EVENTS_FEED_MAX_BYTES = 100
    big = _subscribe(organization, feed_server.url + "/feed.ics")
    subscription_poll(subscription_id=big.pk)
    big.refresh_from_db()
    assert big.last_error == "the feed is larger than 100 bytes"
    settings.EVENTS_FEED_MAX_BYTES = 10_000_000
    feed_server.body, feed_server.etag = b"<html>login</html>", '"html"'
    broken = _subscribe(organization, feed_server.url + "/feed.ics?x")
    subscription_poll(subscription_id=broken.pk)
    broken.refresh_from_db()
    assert "not an iCalendar file" in broken.last_error
    assert not Event.objects.exists()


def test_loopback_and_private_addresses_are_refused_unless_allowed(
    organization, feed_server, settings
):
    settings.EVENTS_FEED_ALLOW_PRIVATE = False
    for url in (feed_server.url + "/feed.ics", "http://10.1.2.3/x.ics", "http://[::1]/x.ics"):
        subscription = _subscribe(organization, url)
        subscription_poll(subscription_id=subscription.pk)
        subscription.refresh_from_db()
        assert "private or local address" in subscription.last_error
    assert feed_server.log == []


def test_the_organizations_admin_uploads_a_file_and_sees_each_feeds_last_error(
    organization, organizer, member_factory, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    CalendarSubscription.objects.create(
        organization=organization,
        url="https://cal.example.org/x.ics",
        last_error="the server answered HTTP 404",
    )
    client.force_login(organizer)
    page = client.get("/events/calendars/").content.decode()
    assert "the server answered HTTP 404" in page
    upload = SimpleUploadedFile("partner.ics", GOOGLE, content_type="text/calendar")
    page = client.post(
        "/events/calendars/", {"action": "upload", "file": upload, "default_zone": "UTC"}
    ).content.decode()
    assert "Imported: 4 new, 0 updated, 1 cancelled, 0 unchanged." in page
    assert Event.objects.filter(owner=organization).count() == 5
    broken = SimpleUploadedFile("broken.ics", b"BEGIN:VCALENDAR\r\n", content_type="text/calendar")
    page = client.post(
        "/events/calendars/", {"action": "upload", "file": broken, "default_zone": "UTC"}
    ).content.decode()
    assert "This file cannot be imported: the file is truncated" in page
    client.force_login(member_factory(organization=organization))  # not an admin
    assert client.get("/events/calendars/").status_code == 403


def test_a_feed_under_review_sends_its_events_to_the_queue_with_duplicates_flagged(
    organization, feed_server, event_factory
):
    from datetime import UTC, datetime

    typed = event_factory(
        title="Regional dialogue on cash transfers (Nairobi)",
        starts_at=datetime(2027, 3, 15, 6, 0, tzinfo=UTC),
    )
    subscription = _subscribe(organization, feed_server.url + "/feed.ics")
    CalendarSubscription.objects.filter(pk=subscription.pk).update(review_first=True)
    subscription_poll(subscription_id=subscription.pk)
    imported = Event.objects.filter(source=subscription)
    assert set(imported.values_list("review", flat=True)) == {"pending"}
    dialogue = imported.get(title="Regional dialogue on cash transfers")
    assert dialogue.duplicate_of == typed


def test_the_beat_polls_the_feeds_on_a_schedule():
    from config.celery import app

    entry = app.conf.beat_schedule["calendar-feeds-poll"]
    assert entry["task"] == "events.tasks.subscriptions_poll_due"
    assert entry["task"] in app.tasks


def test_ipv6_forms_of_private_ipv4_addresses_are_refused(organization, settings):
    # is_global calls these IPv6 addresses public, yet each carries a loopback or private
    # IPv4 address a host may reach through them (IPv4-compatible, 6to4, NAT64, Teredo).
    settings.EVENTS_FEED_ALLOW_PRIVATE = False
    for host in ("::127.0.0.1", "2002:7f00:1::", "64:ff9b::a01:203", "2002:a01:203::"):
        subscription = _subscribe(organization, f"http://[{host}]/x.ics")
        subscription_poll(subscription_id=subscription.pk)
        subscription.refresh_from_db()
        assert "private or local address" in subscription.last_error, host


def test_staff_switch_a_feed_to_review_first_from_the_calendars_page(
    organization, organizer, member_factory, feed_server, client
):
    from members.models import Organization, Role

    subscription = _subscribe(organization, feed_server.url + "/feed.ics")
    page = f"/events/calendars/?organization={organization.slug}"
    switch = {
        "action": "review",
        "organization": organization.slug,
        "subscription": subscription.pk,
        "review_first": "1",
    }
    # The organization's own admin sees how its feed is treated but cannot change it.
    client.force_login(organizer)
    text = client.get(page).content.decode()
    assert "Its events go on the calendar at once." in text
    assert "events first" not in text
    client.post(page, switch)
    subscription.refresh_from_db()
    assert subscription.review_first is False

    client.force_login(member_factory(role=Role.STAFF, email="staff@example.org"))
    assert "events first" in client.get(page).content.decode()
    # Hostile or foreign ids change nothing and do not crash.
    other = Organization.objects.create(name="Elsewhere", slug="elsewhere", country="PE")
    foreign = _subscribe(other, feed_server.url + "/other.ics")
    for bad in ("", "abc", "-1", str(foreign.pk)):
        response = client.post(page, {**switch, "subscription": bad}, follow=True)
        assert response.status_code == 200
        assert "This feed does not belong to the organization." in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.review_first is False

    response = client.post(page, switch, follow=True)
    assert "Events from this feed now wait for review." in response.content.decode()
    assert "Its events wait in the review queue." in response.content.decode()
    subscription_poll(subscription_id=subscription.pk)
    imported = Event.objects.filter(source=subscription)
    assert imported.exists()
    assert set(imported.values_list("review", flat=True)) == {"pending"}

    client.post(page, {**switch, "review_first": "0"})
    subscription.refresh_from_db()
    assert subscription.review_first is False


class Rebinding:
    """A resolver whose answer for one name changes after the first question, as a DNS
    rebinding attack's does; other names resolve as usual."""

    def __init__(self, name: str, answers: list[str]):
        import socket

        self.name, self.answers, self.asked = name, answers, 0
        self.resolve = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        import socket

        if host != self.name:
            return self.resolve(host, port, *args, **kwargs)
        address = self.answers[min(self.asked, len(self.answers) - 1)]
        self.asked += 1
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]


def test_a_dns_answer_that_changes_after_the_check_is_never_dialled(
    organization, feed_server, settings, monkeypatch
):
    # The check sees a public address (233.252.0.1: global, and nothing answers TCP on
    # it); asked again, the name points at the loopback feed server. The connection goes
    # to the address checked, so the local server is never reached.
    import socket

    settings.EVENTS_FEED_ALLOW_PRIVATE = False
    port = feed_server.url.rsplit(":", 1)[1]
    resolver = Rebinding("calendar.partner.test", ["233.252.0.1", "127.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    subscription = _subscribe(organization, f"http://calendar.partner.test:{port}/feed.ics")
    assert subscription_poll(subscription_id=subscription.pk) is None
    subscription.refresh_from_db()
    assert subscription.last_error.startswith("the feed cannot be fetched")
    assert (feed_server.log, resolver.asked) == ([], 1)


def test_each_hop_is_dialled_at_the_address_resolved_for_it_under_its_own_name(
    organization, feed_server, monkeypatch
):
    # A redirect to a name: resolved once (a second answer would lead nowhere), dialled
    # at that address, and asked for under its name (the Host header).
    import socket

    resolver = Rebinding("calendar.partner.test", ["127.0.0.1", "127.0.0.2"])
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    port = feed_server.url.rsplit(":", 1)[1]
    named = f"http://calendar.partner.test:{port}"
    feed_server.redirect_to = named + "/feed.ics"
    subscription = _subscribe(organization, feed_server.url + "/away")
    result = subscription_poll(subscription_id=subscription.pk)
    assert result is not None and result.created == 4
    assert [path for path, _size in feed_server.log] == ["/away", "/feed.ics"]
    assert feed_server.hosts == [f"127.0.0.1:{port}", f"calendar.partner.test:{port}"]
    assert resolver.asked == 1


def test_an_oversized_calendar_upload_is_refused_before_its_body_is_read(
    organization, organizer, settings, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http.multipartparser import MultiPartParser
    from django.test import Client

    settings.EVENTS_FEED_MAX_BYTES = 1024
    parsed = []
    original = MultiPartParser.parse
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or original(self))
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)
    page = client.get("/events/calendars/")
    token = page.cookies["csrftoken"].value
    huge = SimpleUploadedFile("big.ics", GOOGLE * 400, content_type="text/calendar")
    response = client.post(
        "/events/calendars/",
        {"action": "upload", "file": huge, "default_zone": "UTC", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 413
    assert "The file is too large: calendars up to 1.0" in response.content.decode()
    assert parsed == []  # refused by its declared length, the body never parsed
    assert not Event.objects.exists()

    # A file within the cap still goes through the CSRF check, then imports.
    settings.EVENTS_FEED_MAX_BYTES = 10 * len(GOOGLE)
    upload = SimpleUploadedFile("partner.ics", GOOGLE, content_type="text/calendar")
    form = {"action": "upload", "file": upload, "default_zone": "UTC"}
    assert client.post("/events/calendars/", form).status_code == 403  # no token
    upload.seek(0)
    response = client.post("/events/calendars/", {**form, "csrfmiddlewaretoken": token})
    assert "Imported: 4 new" in response.content.decode()

"""A real Celery worker, fed through Redis, polls a partner's calendar feed served by a
local HTTP server, and the feed's events appear (beat's task fans out to the poll)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from events.models import CalendarSubscription, Event
from members.models import Organization
from tests.servers import BarazaProcesses

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FEED = (Path(__file__).parents[1] / "events" / "fixtures" / "google_export.ics").read_bytes()


@pytest.fixture
def feed_url():
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.ics", requests
    server.shutdown()
    server.server_close()


def test_worker_polls_the_feed_and_its_events_appear(tmp_path, redis_url, feed_url):
    url, requests = feed_url
    organization = Organization.objects.create(name="Feed partner", slug="feed-partner")
    subscription = CalendarSubscription.objects.create(organization=organization, url=url)
    servers = BarazaProcesses.create(
        workdir=tmp_path,
        db_settings=connection.settings_dict,
        # the feed is on loopback, which production refuses
        extra_env={"CELERY_BROKER_URL": redis_url, "EVENTS_FEED_ALLOW_PRIVATE": "1"},
    )
    try:
        servers.start_worker()
        queued = servers.manage(
            "shell", "-c", "from events.tasks import subscriptions_poll_due as t; t.delay()"
        )
        assert queued.returncode == 0, queued.stdout
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Event.objects.filter(source=subscription):
            time.sleep(0.3)
        log = servers.log("worker")
    finally:
        servers.stop()
    titles = set(Event.objects.filter(source=subscription).values_list("title", flat=True))
    assert "Regional dialogue on cash transfers" in titles, log
    assert requests == ["/feed.ics"]
    assert "events.tasks.subscription_poll" in log, "the worker ran the poll"
    subscription.refresh_from_db()
    assert subscription.last_error == ""

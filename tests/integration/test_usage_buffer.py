"""A real Daphne buffers page views in memory and writes them in one batch: when its
buffer is full, and — what nothing else would save — when it is stopped."""

import time

import httpx
import pytest
from django.db import connection

from monitoring.models import UsageEvent
from tests.servers import BarazaProcesses

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def test_buffered_page_views_are_written_when_full_and_at_shutdown(tmp_path):
    servers = BarazaProcesses.create(
        workdir=tmp_path,
        db_settings=connection.settings_dict,
        # No timed writes during the test: only a full buffer, or stopping, writes.
        extra_env={"USAGE_BUFFER_SIZE": "5", "USAGE_FLUSH_SECONDS": "3600"},
    )
    try:
        servers.start_web()
        with httpx.Client(base_url=servers.url, headers={"User-Agent": BROWSER}) as browser:
            for _ in range(5):
                assert browser.get("/webinars/").status_code == 200
            deadline = time.monotonic() + 10
            while UsageEvent.objects.count() < 5 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert UsageEvent.objects.count() == 5  # the full buffer, in one batch
            for _ in range(3):
                browser.get("/")
            time.sleep(0.5)
            assert UsageEvent.objects.count() == 5  # still in the server's memory
    finally:
        servers.stop()
    assert UsageEvent.objects.filter(path="/").count() == 3, servers.log("web")

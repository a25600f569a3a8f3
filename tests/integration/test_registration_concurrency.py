"""Seats under load, through a real Daphne: the database decides, nobody sees an error."""

import asyncio
import re
from datetime import timedelta

import httpx
import pytest
from django.db import connection

from core.clock import now
from members.models import Organization
from tests.mail import read_mailbox, wait_for_email
from tests.servers import BarazaProcesses, run_async
from webinars.models import Registration, Session, Webinar

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(tmp_path):
    servers = BarazaProcesses.create(
        workdir=tmp_path,
        db_settings=connection.settings_dict,
        extra_env={"REGISTRATION_RATE_PER_IP": "off", "REGISTRATION_RATE_PER_ADDRESS": "off"},
    )
    servers.start_web()
    yield servers
    servers.stop()


def make_webinar(capacity: int) -> Webinar:
    webinar = Webinar.objects.create(slug="crowded", title="Crowded", status="published")
    webinar.organizations.add(Organization.objects.create(name="Org", slug="org"))
    Session.objects.create(webinar=webinar, starts_at=now() + timedelta(days=3), capacity=capacity)
    return webinar


async def post_all(base_url: str, path: str, emails: list[str], session_id: int) -> list[int]:
    limits = httpx.Limits(max_connections=60)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:
        page = await client.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

        async def one(email: str) -> int:
            response = await client.post(
                path,
                data={
                    "csrfmiddlewaretoken": token,
                    "session": session_id,
                    "email": email,
                    "full_name": "Load Test",
                    "language": "en",
                    "time_zone": "Asia/Manila",
                    "consent": "on",
                },
                headers={"Referer": base_url + path},
            )
            return response.status_code

        return await asyncio.gather(*(one(email) for email in emails))


def test_300_people_for_100_seats(server):
    webinar = make_webinar(capacity=100)
    session = webinar.sessions.get()
    emails = [f"person{i}@example.org" for i in range(300)]
    statuses = run_async(post_all, server.url, "/webinars/crowded/", emails, session.pk)
    assert set(statuses) == {302}, server.log("web")[-2000:]
    counts = {
        status: Registration.objects.filter(session=session, status=status).count()
        for status in ("confirmed", "waitlisted")
    }
    assert counts == {"confirmed": 100, "waitlisted": 200}
    assert Registration.objects.count() == 300


def test_the_same_address_20_times_at_once_is_one_registration(server):
    webinar = make_webinar(capacity=None)
    session = webinar.sessions.get()
    emails = ["Same@Example.org" if i % 2 else "same@example.ORG" for i in range(20)]
    statuses = run_async(post_all, server.url, "/webinars/crowded/", emails, session.pk)
    assert set(statuses) == {302}
    assert Registration.objects.filter(webinar=webinar).count() == 1


def test_the_same_address_20_times_at_once_is_one_email(server):
    """Issue #11: a burst of submissions is one event, one confirmation (it used to be
    two, 2 s apart: the re-send throttle only started at the first re-send)."""
    server.start_worker()
    webinar = make_webinar(capacity=None)
    session = webinar.sessions.get()
    emails = ["Same@Example.org" if i % 2 else "same@example.ORG" for i in range(20)]
    statuses = run_async(post_all, server.url, "/webinars/crowded/", emails, session.pk)
    assert set(statuses) == {302}
    # the worker takes tasks in order: once a later registrant's email is here, any
    # second confirmation queued by the burst would be here too
    run_async(post_all, server.url, "/webinars/crowded/", ["later@example.org"], session.pk)
    wait_for_email(server.mail_dir, to="later@example.org", timeout=60)
    to = [str(message["To"]).lower() for message in read_mailbox(server.mail_dir)]
    assert sorted(to) == ["later@example.org", "same@example.org"]

"""Exactly once, the hard way: a real worker is SIGKILLed mid-task, restarted, and every
event still arrives as exactly one email — on Redis and on the embedded broker.

How the kill lands "mid-task": the first worker runs with BARAZA_PAUSE_AT naming a
point in the task (core/faults.py); the task stops there and touches a file, the test
sees it and kills the worker (SIGKILL: no ack, no cleanup), then starts a worker
without the pause. The broker hands the unacknowledged task to the new worker once the
visibility timeout has passed; CELERY_VISIBILITY_TIMEOUT=3 makes that seconds, not the
hour a deployment waits (and makes kombu's Redis sweep for such tasks run every second
instead of every 100 s, config/settings.py; the embedded broker looks at every poll,
config/broker.py).
Each run gets its own queue (and on Redis its own key prefix), so another test's worker
never takes or restores this one's tasks.
"""

import os
import re
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from core.clock import now
from members.models import Organization, Role
from notifications.models import OutboundEmail
from tests.mail import read_mailbox, wait_for_email
from tests.servers import BarazaProcesses, session_key_for
from webinars.models import OrganizerMessage, Registration, Session, Webinar

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["redis", "embedded"])
def broker_env(request) -> dict[str, str]:
    if request.param == "embedded":
        return {"CELERY_BROKER_URL": "filesystem://"}
    request.getfixturevalue("redis_url")  # skips when there is no Redis
    url = os.environ.get("CELERY_BROKER_URL", "")
    return {
        "CELERY_BROKER_URL": url if url.startswith("redis") else "redis://127.0.0.1:6379/1",
        "CELERY_REDIS_KEY_PREFIX": f"test-{uuid.uuid4().hex[:10]}:",
    }


@pytest.fixture
def servers(tmp_path, broker_env):
    processes = BarazaProcesses.create(
        workdir=tmp_path,
        db_settings=connection.settings_dict,
        extra_env={
            **broker_env,
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "BARAZA_PAUSE_FILE": str(tmp_path / "paused"),
            "REGISTRATION_RATE_PER_IP": "off",
            "REGISTRATION_RATE_PER_ADDRESS": "off",
        },
    )
    processes.start_web()
    yield processes
    processes.stop()


def kill_at(servers: BarazaProcesses, point: str, cause, worker: list[str] | None = None) -> None:
    """Start a worker that stops at `point`, cause the task, SIGKILL the worker there,
    and start a worker that runs everything through (`worker`: its command, after
    `python`; by default a solo worker)."""
    servers.env["BARAZA_PAUSE_AT"] = point
    if worker is None:
        servers.start_worker()
    else:
        servers.start_worker_with(worker)
    cause()
    paused = Path(servers.env["BARAZA_PAUSE_FILE"])
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert time.monotonic() < deadline, servers.log("worker")
        time.sleep(0.1)
    servers.kill_worker()
    del servers.env["BARAZA_PAUSE_AT"]
    if worker is None:
        servers.start_worker()
    else:
        servers.start_worker_with(worker)


def wait_for_log(servers: BarazaProcesses, pattern: str, count: int, timeout: float = 90):
    deadline = time.monotonic() + timeout
    log = servers.workdir / "worker.log"
    while len(re.findall(pattern, log.read_text(errors="replace"))) < count:
        assert time.monotonic() < deadline, servers.log("worker")
        time.sleep(0.25)


def make_webinar() -> Webinar:
    webinar = Webinar.objects.create(slug="once", title="Once only", status="published")
    webinar.organizations.add(Organization.objects.create(name="Org", slug="org"))
    Session.objects.create(webinar=webinar, starts_at=now() + timedelta(days=3))
    return webinar


def csrf_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (page.status_code, page.headers, page.text[:1000])
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


@pytest.mark.parametrize("pool", ["solo", "make run's"])
def test_a_worker_killed_after_storing_a_confirmation_sends_it_once(servers, pool):
    """Also with the worker `make run` starts (a pool of threads, several tasks at once)."""
    from config.management.commands.run_baraza import worker_args

    worker = None if pool == "solo" else worker_args()
    webinar = make_webinar()
    session = webinar.sessions.get()

    def register():
        with httpx.Client(base_url=servers.url) as client:
            response = client.post(
                "/webinars/once/",
                data={
                    "csrfmiddlewaretoken": csrf_token(client, "/webinars/once/"),
                    "session": session.pk,
                    "email": "ama@example.org",
                    "full_name": "Ama Mensah",
                    "language": "en",
                    "time_zone": "Africa/Accra",
                    "consent": "on",
                },
                headers={"Referer": servers.url + "/webinars/once/"},
            )
        assert response.status_code == 302, response.text[:2000]

    kill_at(servers, "webinars.registration_email_send", register, worker)
    wait_for_email(servers.mail_dir, to="ama@example.org")
    # the killed task is delivered again and sends the email it had stored, itself (no
    # second task), once
    wait_for_log(servers, r"registration_notify\[[^\]]+\] succeeded", 1)
    assert not re.search(r"outbound_email_deliver\[", (servers.workdir / "worker.log").read_text())
    assert [m["To"] for m in read_mailbox(servers.mail_dir)] == ["ama@example.org"]
    assert OutboundEmail.objects.filter(kind="webinars.confirmed").count() == 1


def test_a_worker_killed_mid_fan_out_of_an_organizer_message_sends_one_each(
    servers, member_factory
):
    webinar = make_webinar()
    session = webinar.sessions.get()
    organizer = member_factory(
        email="organizer@example.org",
        role=Role.PARTNER_ADMIN,
        organization=webinar.organizations.get(),
    )
    people = [f"p{i}@example.org" for i in range(4)]
    for email in people:
        Registration.objects.create(
            webinar=webinar,
            session=session,
            email=email,
            full_name="P",
            status="confirmed",
            created_at=now(),
            status_changed_at=now(),
        )
    path = "/webinars/manage/once/registrants/"

    def send_message():
        cookies = {settings.SESSION_COOKIE_NAME: session_key_for(organizer)}
        with httpx.Client(base_url=servers.url, cookies=cookies) as client:
            token = csrf_token(client, path)
            response = client.post(
                path + "message/",
                data={"csrfmiddlewaretoken": token, "subject": "Slides", "body": "Here."},
                headers={"Referer": servers.url + path},
            )
        assert response.status_code == 302, response.text[:2000]

    kill_at(servers, "webinars.fan_out.message", send_message)
    for email in people:
        wait_for_email(servers.mail_dir, to=email)
    # the killed fan-out is delivered again, queues only who is left, and ends
    wait_for_log(servers, r"webinar_message_send\[[^\]]+\] succeeded", 1)
    wait_for_log(servers, r"registration_message\[[^\]]+\] succeeded", len(people))
    assert sorted(m["To"] for m in read_mailbox(servers.mail_dir)) == people
    assert OrganizerMessage.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="webinars.message").count() == len(people)

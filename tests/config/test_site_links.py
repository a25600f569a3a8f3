"""Every link Baraza sends follows the configured site: with `PORT=8100 make run`, emails,
calendar files and account emails point at port 8100, never at a dead 8000."""

import os
import re
import subprocess
import sys

import pytest
from django.contrib.sites.models import Site

from tests.webinars.conftest import organization, register, webinar_factory  # noqa: F401

SITE = "http://127.0.0.1:8100"


def settings_site_url(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_site_url_follows_host_and_port_when_unset():
    assert settings_site_url(PORT="8100") == SITE
    assert settings_site_url(HOST="0.0.0.0", PORT="9000") == "http://127.0.0.1:9000"
    assert settings_site_url(HOST="localhost") == "http://localhost:8000"
    assert settings_site_url(PORT="8100", SITE_URL="https://baraza.example.org/") == (
        "https://baraza.example.org"
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


@pytest.mark.django_db
def test_every_link_in_a_confirmation_follows_the_site(
    settings,
    webinar_factory,  # noqa: F811
    register,  # noqa: F811
    mailoutbox,
    django_capture_on_commit_callbacks,
    client,
):
    settings.SITE_URL = SITE
    webinar = webinar_factory(title="Cash plus")
    with django_capture_on_commit_callbacks(execute=True):
        register(webinar, time_zone="Asia/Manila")
    (message,) = mailoutbox
    parts = [message.body, message.alternatives[0][0], *message.extra_headers.values()]
    parts += [content for _name, content, _type in message.attachments]
    ours = [
        link
        for part in parts
        for link in links_in(part if isinstance(part, str) else part.decode())
        if "127.0.0.1" in link or "localhost" in link
    ]
    assert ours, "the email carries links to Baraza"
    assert all(link.startswith(SITE + "/") for link in ours), ours
    manage = next(link for link in ours if "/webinars/registration/" in link)
    page = client.get(manage.removeprefix(SITE)).content.decode()
    assert f"{SITE}/j/" in page  # the join link on the manage page
    assert "127.0.0.1:8000" not in page


@pytest.mark.django_db
def test_account_emails_name_the_configured_site(
    settings, member_factory, client, mailoutbox, django_capture_on_commit_callbacks
):
    from config.apps import site_follow_settings

    settings.SITE_URL = SITE
    site_follow_settings()  # what each migrate does (make run migrates at every start)
    assert Site.objects.get_current().domain == "127.0.0.1:8100"
    member_factory(email="ama@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "ama@example.org"})
    (message,) = mailoutbox
    assert "127.0.0.1:8100" in message.body
    assert "127.0.0.1:8000" not in message.body

"""A real Celery worker, fed through Redis, delivers allauth's verification email."""

import re

import httpx
import pytest
from django.db import connection

from tests.mail import links, wait_for_email
from tests.servers import BarazaProcesses

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_the_verification_email(tmp_path, redis_url):
    servers = BarazaProcesses.create(
        workdir=tmp_path,
        db_settings=connection.settings_dict,
        extra_env={"CELERY_BROKER_URL": redis_url},
    )
    try:
        servers.start_web()
        servers.start_worker()
        with httpx.Client(base_url=servers.url, follow_redirects=False) as browser:
            page = browser.get("/accounts/signup/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            response = browser.post(
                "/accounts/signup/",
                data={
                    "csrfmiddlewaretoken": token,
                    "email": "wanjiru@example.org",
                    "full_name": "Wanjiru Kamau",
                    "password1": "long-rains-in-april-22",
                    "password2": "long-rains-in-april-22",
                },
                headers={"Referer": servers.url + "/accounts/signup/"},
            )
        assert response.status_code == 302, response.text[:2000]
        message = wait_for_email(servers.mail_dir, to="wanjiru@example.org", timeout=30)
        assert "outbound_email_deliver" in servers.log("worker"), "the worker sent it"
    finally:
        servers.stop()
    confirm = [link for link in links(message) if "/accounts/confirm-email/" in link]
    assert confirm and confirm[0].startswith(servers.url)
    assert message["Subject"] == "[Baraza] Please Confirm Your Email Address"

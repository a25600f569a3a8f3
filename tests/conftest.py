import os
import shutil
from pathlib import Path

import pytest

from config.celery import app as celery_app

CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _database_free_before_teardown(django_db_setup, django_db_blocker):
    """PostgreSQL refuses to drop the test database while anything is connected to it
    (it was left behind): the pool keeps a connection after each test, and a thread
    that ended (a browser test's event loop) may still hold one it never returned."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            connection.close_pool()
            with connection._nodb_cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [connection.settings_dict["NAME"]],
                )


@pytest.fixture(scope="session", autouse=True)
def _channel_relay_off():
    """The in-process tests hold their sockets in this process and need no relay; with
    one, their group sends would reach a `make run` Daphne serving this checkout's var/.
    Tests of the relay (and those joining a test server's, `layer_of`) configure their own."""
    from django.conf import settings

    layer = settings.CHANNEL_LAYERS["default"]
    if "relay_socket" in layer.get("CONFIG", {}):
        layer["CONFIG"]["relay_socket"] = None


@pytest.fixture(autouse=True)
def celery_eager():
    """Unit tests run tasks in-process; integration tests start a real worker instead."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def member_factory(db):
    from members.models import Member

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields.setdefault("email", f"person{counter['n']}@example.org")
        fields.setdefault("full_name", f"Person {counter['n']}")
        password = fields.pop("password", "a-long-pass-phrase-42")
        member = Member.objects.create_user(password=password, **fields)
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        return member

    return make


def require_chromium() -> None:
    if CHROMIUM.exists() and shutil.which("chromium"):
        return
    if CI:
        pytest.fail("CI=true but /usr/bin/chromium is missing: browser tests must run in CI")
    pytest.skip(
        "browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)"
    )


@pytest.fixture(autouse=True)
def _default_language():
    """A page requested in Spanish leaves Spanish active in this thread (the locale
    middleware activates, nothing deactivates): the next test would write `title=` into
    `title_es` and read its pages' strings in Spanish. Each test starts in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


def pytest_collection_modifyitems(config, items):
    """Browser tests last: their event loop must not overlap the async tests."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))

"""The settings switch really switches: embedded defaults, or real services from env vars."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_services_follow_the_environment():
    layer = type(get_channel_layer()).__name__
    broker = celery_app.conf.broker_url
    if os.environ.get("DATABASE_URL"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor == "sqlite"
    if os.environ.get("REDIS_URL"):
        assert layer in ("RedisPubSubChannelLayer", "RedisChannelLayer")
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert isinstance(get_channel_layer(), InMemoryChannelLayer)
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    if os.environ.get("CELERY_BROKER_URL"):
        assert broker == os.environ["CELERY_BROKER_URL"]
    else:
        assert broker == "filesystem://"


def test_embedded_sqlite_uses_wal_and_a_busy_timeout():
    if connection.vendor != "sqlite":
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "baraza.example.org",
            "SITE_URL": "https://baraza.example.org",
            "BARAZA_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = _manage("check", env={"DEBUG": "0", "BARAZA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    """No DEBUG variable is production: no generated key, no local hosts, strict cookies."""
    result = _manage("check", env={"BARAZA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert not (tmp_path / "secret_key").exists()
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    shown = _manage(
        "shell",
        "-c",
        script,
        env={"BARAZA_VAR_DIR": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(64)},
    )
    assert shown.stdout.splitlines()[-1].split() == ["False", "[]", "True", "True"], shown.stderr


def test_embedded_secret_key_is_generated_once(tmp_path):
    for _ in range(2):
        env = {"BARAZA_VAR_DIR": str(tmp_path), "DEBUG": "1"}
        assert _manage("check", env=env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_the_embedded_broker_polls_as_the_readme_says(tmp_path):
    """The interval kombu's filesystem transport really sleeps, by default and when set."""
    row = next(
        line
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("| `CELERY_POLLING_INTERVAL` |")
    )
    documented = float(row.split("|")[2].strip(" `"))
    script = (
        "from config.celery import app; print(app.connection_for_read().transport.polling_interval)"
    )
    base = {"DEBUG": "1", "BARAZA_VAR_DIR": str(tmp_path), "CELERY_BROKER_URL": "filesystem://"}
    shown = _manage("shell", "-c", script, env=base)
    assert float(shown.stdout.splitlines()[-1]) == documented, shown.stderr
    assert documented <= 0.1
    shown = _manage("shell", "-c", script, env={**base, "CELERY_POLLING_INTERVAL": "0.5"})
    assert float(shown.stdout.splitlines()[-1]) == 0.5, shown.stderr

"""`make run`'s command: migrates, seeds, serves Daphne with a worker, and stops cleanly;
with DEBUG off it seeds nothing (the demo staff password is published)."""

import email
import email.policy
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from tests.servers import ROOT, free_port

pytestmark = pytest.mark.integration


def _embedded_env(tmp_path, port: int, **extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SQLITE_PATH", "DEBUG"}
    }
    env.update({"BARAZA_VAR_DIR": str(tmp_path), "PORT": str(port), **extra})
    return env


def _password_reset_email(port: int, mail_dir, deadline: float) -> str:
    """Ask for a password reset as a person would; the worker writes the email."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        page = client.get("/accounts/password/reset/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        client.post(
            "/accounts/password/reset/",
            data={"email": "staff@baraza.example", "csrfmiddlewaretoken": token},
        )
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.eml")) if mail_dir.exists() else []
        if files:
            message = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
            return message.get_body(("plain",)).get_content()
        time.sleep(0.5)
    raise AssertionError("no password reset email arrived")


def _run_baraza(env: dict[str, str], log) -> subprocess.Popen:
    """`manage.py run_baraza` as `make run` starts it, its output in `log`."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_baraza"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_run_baraza_serves_health_and_stops_every_child(tmp_path):
    port = free_port()
    env = _embedded_env(tmp_path, port, DEBUG="1")  # what `make run` sets
    log = tmp_path / "run.log"
    proc = _run_baraza(env, log)
    try:
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                if response.status_code == 200:
                    body = response.json()
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        assert body is not None, "run_baraza never answered /healthz"
        assert body["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
        while time.monotonic() < deadline and b" ready." not in log.read_bytes():
            time.sleep(0.5)  # the worker may still be starting when the web answers
        mail = _password_reset_email(port, tmp_path / "mail", deadline)
        assert f"http://127.0.0.1:{port}/accounts/password/reset/key/" in mail
        assert "127.0.0.1:8000" not in mail  # every link follows the port served
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        output = log.read_text(errors="replace")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert f"http://127.0.0.1:{port}/" in output
    assert "staff@baraza.example" in output
    assert "celery@" in output and "ready" in output
    leftovers = subprocess.run(
        ["pgrep", "-f", f"-p {port} config.asgi"], capture_output=True, text=True
    ).stdout
    assert leftovers == ""
    assert (tmp_path / "baraza.sqlite3").exists()


def test_run_baraza_with_debug_off_seeds_no_demo_accounts(tmp_path):
    port = free_port()
    env = _embedded_env(
        tmp_path,
        port,
        DEBUG="0",
        SECRET_KEY="a-test-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
    )
    log = tmp_path / "run.log"
    proc = _run_baraza(env, log)
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and proc.poll() is None and not healthy:
            try:
                healthy = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).is_success
            except httpx.TransportError:
                time.sleep(0.5)
        assert healthy, log.read_text(errors="replace")[-3000:]
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert "staff@baraza.example" not in output and "baraza-demo-2027" not in output
    assert "no demo data" in output
    with sqlite3.connect(tmp_path / "baraza.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM members_member").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0

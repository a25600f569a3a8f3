"""Real Baraza processes for browser, integration tests and benchmarks.

Daphne and the Celery worker are started as subprocesses with the environment a
deployment would give them, pointed at the database the tests created.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_env(settings_dict: dict) -> dict[str, str]:
    """Environment that points a child process at the database described by `settings_dict`."""
    engine = settings_dict["ENGINE"]
    if engine.endswith(("sqlite3", "config.sqlite")):
        return {"SQLITE_PATH": str(settings_dict["NAME"]), "DATABASE_URL": ""}
    if engine.endswith("postgresql"):
        user = settings_dict.get("USER") or ""
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return {"DATABASE_URL": f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"}
    raise RuntimeError(f"no child-process support for {engine}")


@dataclass
class BarazaProcesses:
    """Daphne (`python -m config.serve`) and optionally a Celery worker, sharing one
    environment."""

    env: dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @classmethod
    def create(cls, *, workdir: Path, db_settings: dict, extra_env: dict | None = None):
        workdir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(database_env(db_settings))
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "EMAIL_FILE_PATH": str(workdir / "mail"),
                "CELERY_QUEUE": f"test-{uuid.uuid4().hex[:10]}",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if not env.get("CELERY_BROKER_URL", "").startswith(("redis", "amqp")):
            # Each run gets its own filesystem queue, so nothing left over is delivered.
            env["CELERY_BROKER_URL"] = "filesystem://"
        # Its own var/ too: the embedded channel layer's relay socket lives there, and
        # two test servers (or a test server and `make run`) must not share one.
        env["BARAZA_VAR_DIR"] = str(workdir / "var")
        # Sessions this process writes (session_cookie) must be valid there; the key
        # would otherwise be generated afresh in that var/.
        env.setdefault("SECRET_KEY", settings.SECRET_KEY)
        port = free_port()
        env["SITE_URL"] = f"http://127.0.0.1:{port}"  # links in emails point here
        env.update(extra_env or {})
        return cls(env=env, workdir=workdir, port=port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_dir(self) -> Path:
        return Path(self.env["EMAIL_FILE_PATH"])

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.procs[name] = proc
        return proc

    def start_web(self, timeout: float = 30, application: str = "config.asgi:application") -> None:
        # As `make run` serves it: Daphne with the request body cap (config/serve.py).
        self._spawn(
            "web", ["-m", "config.serve", "-b", "127.0.0.1", "-p", str(self.port), application]
        )
        self.wait_http("/healthz", timeout)

    def start_worker(self, timeout: float = 60) -> None:
        self.start_worker_with(
            [
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            timeout,
        )

    def start_worker_with(self, args: list[str], timeout: float = 60) -> None:
        """A worker started with `args` (after `python`), e.g. the one `make run` starts."""
        log = self.workdir / "worker.log"
        started_before = log.read_bytes().count(b" ready.") if log.exists() else 0
        self._spawn("worker", [*args, "-n", f"test-{self.port}@%h"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if log.exists() and log.read_bytes().count(b" ready.") > started_before:
                return
            self._check_alive("worker")
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready: {self.log('worker')}")

    def manage(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """`manage.py <args>` in a process of its own with the servers' environment, as
        an operator on the same machine would run it; output in `.stdout`."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )

    def kill_worker(self) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no acks, no cleanup."""
        proc = self.procs.pop("worker")
        proc.kill()
        proc.wait()

    def wait_http(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive("web")
            try:
                httpx.get(self.url + path, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError(f"web not ready: {self.log('web')}")

    def _check_alive(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}: {self.log(name)}")

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()


def run_async(coroutine_function, *args):
    """`asyncio.run` in a fresh thread: the browser tests keep Playwright's loop running
    in the main thread for the whole session, where `asyncio.run` would refuse."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function(*args))).result()


def session_key_for(member) -> str:
    """A logged-in session for `member`, stored where a server process reads sessions;
    its key (what a browser sends as the session cookie)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return session.session_key


def session_cookie(member) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session_key_for(member)}"

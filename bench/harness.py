"""Shared bench machinery: a Daphne on a fresh database, a bounded load, the figures.

    with bench_site("pages") as site:      # Django set up here, Daphne serving bench.settings
        ...create data with the ORM...
        result = measure("home", site.url + "/", server_pid=site.web_pid)

The bench process and the server share one database: a new SQLite file in a temp dir,
or, when DATABASE_URL is set, that PostgreSQL database (benchmarks then remove what
they created). The server runs with DEBUG off, as in production. The load itself
is bench/load.py.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import LoadResult, client_name, measure
from tests.servers import ROOT, BarazaProcesses

__all__ = ["LoadResult", "Site", "bench_site", "client_name", "measure", "summary_line"]

SETTINGS_MODULE = "bench.settings"


def server_env(workdir: Path) -> dict[str, str]:
    """Production-like settings, loosened only for plain HTTP on 127.0.0.1."""
    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DEBUG": "0",  # DEBUG logs every query and would skew every figure
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BARAZA_VAR_DIR": str(workdir / "var"),
        "LOG_LEVEL": "WARNING",
    }
    if not os.environ.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    return env


@dataclass
class Site:
    processes: BarazaProcesses
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.processes.url

    @property
    def web_pid(self) -> int:
        return self.processes.procs["web"].pid

    @property
    def database_is_shared(self) -> bool:
        """True on DATABASE_URL's database, which outlives the run; else a temp SQLite file."""
        return bool(os.environ.get("DATABASE_URL"))

    def at_exit(self, cleanup: Callable[[], None]) -> None:
        """Run `cleanup` when the site closes, even on error or interruption."""
        self.cleanups.append(cleanup)


@contextmanager
def bench_site(name: str) -> Iterator[Site]:
    """Set Django up in this process and start Daphne, both on one fresh database."""
    import django
    from django.conf import settings

    if settings.configured:
        raise RuntimeError("bench_site sets Django up itself: once per process, before any use")
    signal.signal(signal.SIGTERM, _interrupt)  # so that cleanups run and the server stops
    with tempfile.TemporaryDirectory(prefix=f"baraza-bench-{name}-") as tmp:
        workdir = Path(tmp)
        env = server_env(workdir)
        os.environ.update(env)  # this process reads and writes the same database
        django.setup()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity=0"], cwd=ROOT, check=True
        )
        extra = dict(env)
        if os.environ.get("DATABASE_URL"):
            extra["DATABASE_URL"] = os.environ["DATABASE_URL"]  # as given, options included
        site = Site(
            BarazaProcesses.create(
                workdir=workdir, db_settings=settings.DATABASES["default"], extra_env=extra
            )
        )
        try:
            site.processes.start_web()
            yield site
        except Exception:
            print(f"--- web log ---\n{site.processes.log('web')}", file=sys.stderr)
            raise
        finally:
            with _signals_held():  # a second Ctrl-C must not leave a server running
                try:
                    _run_cleanups(site.cleanups)
                finally:
                    site.processes.stop()


def _run_cleanups(cleanups: list[Callable[[], None]]) -> None:
    for cleanup in reversed(cleanups):
        try:
            cleanup()
        except Exception as exc:  # noqa: BLE001 - report it, run the others
            print(f"cleanup failed: {exc!r}", file=sys.stderr)


@contextmanager
def _signals_held() -> Iterator[None]:
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def summary_line(name: str, value: float, unit: str, ceiling: float) -> str:
    """The last line every benchmark prints."""
    ratio = value / ceiling if ceiling else 0.0
    return f"{name}: {value:.0f} {unit} (ratio {ratio:.2f} vs ceiling)"

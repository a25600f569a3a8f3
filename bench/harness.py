"""Shared bench machinery: a fresh database, a Daphne on it, a bounded load, the figures.

    with bench_site("pages") as site:      # Django set up here, Daphne serving bench.asgi
        ...create data with the ORM...
        result = measure("home", site.url + "/", server_pid=site.web_pid)
    print(summary_line("pages", result.rps, "req/s", rate_ratio(result.rps, ceiling.rps)))

Every benchmark gets a database of its own, made for the run and gone after it: a SQLite
file in a temporary directory, or, when DATABASE_URL points at PostgreSQL, a new database
on that server (`bench_database`; the bench process and its server share it). Nothing is
left behind, so no benchmark removes what it created. The server runs with DEBUG off, as
in production. The load itself is bench/load.py.

Run a benchmark as a module from the project root: `python -m bench.NAME` (or all of
them: `python -m bench`).
"""

from __future__ import annotations

import os
import secrets
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.load import LoadResult, client_name, measure
from tests.servers import BarazaProcesses

__all__ = [
    "LoadResult",
    "Site",
    "bench_database",
    "bench_site",
    "client_name",
    "measure",
    "rate_ratio",
    "summary_line",
    "time_ratio",
]

SETTINGS_MODULE = "bench.settings"
APPLICATION = "bench.asgi:application"  # the project's routes and the ceilings


def server_env(workdir: Path) -> dict[str, str]:
    """Production-like settings, loosened only for plain HTTP on 127.0.0.1."""
    return {
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


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


@contextmanager
def bench_database(name: str, *, need_postgres: bool = False) -> Iterator[Path]:
    """Set Django up in this process on a migrated database of its own; yields the run's
    temporary directory (logs, mail, the SQLite file).

    With DATABASE_URL on PostgreSQL: a new database on that server, dropped at the end
    whatever happens. Without: a SQLite file in the temporary directory (or, when
    `need_postgres`, SystemExit with the reason and the command to use)."""
    import django
    from django.conf import settings

    if settings.configured:
        raise RuntimeError("bench_database sets Django up itself: once per process, before use")
    url = os.environ.get("DATABASE_URL", "")
    if need_postgres and not is_postgres(url):
        raise SystemExit(
            f"{name}: skipped — this benchmark needs PostgreSQL: "
            f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.{name}"
        )
    signal.signal(signal.SIGTERM, _interrupt)  # so that the database is dropped
    with tempfile.TemporaryDirectory(prefix=f"baraza-bench-{name}-") as tmp:
        workdir = Path(tmp)
        os.environ.update(server_env(workdir))
        database = None
        if is_postgres(url):
            import psycopg

            database = f"baraza_bench_{name}_{secrets.token_hex(4)}"
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{database}"))
        else:
            os.environ["DATABASE_URL"] = ""
            os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
        try:
            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            yield workdir
        finally:
            os.environ["DATABASE_URL"] = url
            if database:
                with _signals_held():
                    _drop_database(url, database)


def _drop_database(url: str, database: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass
class Site:
    processes: BarazaProcesses

    @property
    def url(self) -> str:
        return self.processes.url

    @property
    def web_pid(self) -> int:
        return self.processes.procs["web"].pid

    def server(self, name: str, **env: str) -> BarazaProcesses:
        """Another server's processes on the same database, with `env` on top (not
        started); its logs go to BENCH_LOG_DIR/<name>/ when set, else the run's directory."""
        log_dir = Path(os.environ.get("BENCH_LOG_DIR") or self.processes.workdir) / name
        log_dir.mkdir(parents=True, exist_ok=True)
        own = {"BARAZA_VAR_DIR": str(self.processes.workdir / name / "var")}  # relay socket
        return BarazaProcesses(env={**self.processes.env, **own, **env}, workdir=log_dir)


@contextmanager
def bench_site(name: str, *, web: bool = True) -> Iterator[Site]:
    """Set Django up in this process on a fresh database (`bench_database`) and start a
    Daphne serving bench.asgi on it (unless `web` is false: the benchmark starts its own
    with `Site.server`)."""
    from django.conf import settings

    with bench_database(name) as workdir:
        env = {key: os.environ[key] for key in server_env(workdir)}
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]  # as given, options included
        site = Site(
            BarazaProcesses.create(
                workdir=workdir, db_settings=settings.DATABASES["default"], extra_env=env
            )
        )
        try:
            if web:
                site.processes.start_web(application=APPLICATION)
            yield site
        except Exception:
            if web:
                print(f"--- web log ---\n{site.processes.log('web')}", file=sys.stderr)
            raise
        finally:
            with _signals_held():  # a second Ctrl-C must not leave a server running
                site.processes.stop()


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


def rate_ratio(measured: float, ceiling: float) -> float:
    """Fraction of the ceiling's performance for a rate (req/s, rows/s): higher is faster."""
    return measured / ceiling if ceiling else 0.0


def time_ratio(measured: float, ceiling: float) -> float:
    """Fraction of the ceiling's performance for a time (ms, s): the ceiling's time over
    the measured one, so that here too 1.00 is as good as the ceiling and lower is worse."""
    return ceiling / measured if measured else 0.0


def summary_line(name: str, value: float, unit: str, ratio: float) -> str:
    """The last line every benchmark prints: its figure, and the fraction of the ceiling's
    performance it reaches (from `rate_ratio` or `time_ratio`: 1.00 is the ceiling's,
    lower is worse, whatever the unit)."""
    shown = f"{value:.0f}" if abs(value) >= 10 else f"{value:.2g}"
    return f"{name}: {shown} {unit} (ratio {ratio:.2f} vs ceiling)"

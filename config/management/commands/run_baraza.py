"""`make run`: migrate, load demo data once, then serve Daphne with a Celery worker + beat.

Demo data (and its published staff login) only with DEBUG on; `make run` sets DEBUG=1
unless the operator chose. With DEBUG off it migrates and serves, nothing more.

Ctrl-C (or SIGTERM) stops every child; if one child dies, the others are stopped too.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from members.demo import DEMO_PASSWORD, DEMO_STAFF_EMAIL

ASGI_APPLICATION = "config.asgi:application"


def worker_args() -> list[str]:
    """The worker `make run` starts (after `python`): bench/drain.py measures this one.
    Its pool and concurrency are the settings' (CELERY_WORKER_POOL, _CONCURRENCY), as for
    any `celery -A config worker`; named here so the benchmark's report shows them."""
    return [
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        f"--pool={settings.CELERY_WORKER_POOL}",
        f"--concurrency={settings.CELERY_WORKER_CONCURRENCY}",
    ]


class Command(BaseCommand):
    help = "Run Baraza: Daphne + Celery worker with embedded beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-seed", action="store_true", help="Skip the demo data.")

    def handle(self, *args, host, port, no_seed, **options):
        # Links in emails follow what is served here (settings derive SITE_URL from the
        # HOST/PORT environment; --host/--port given on the command line count too).
        os.environ["HOST"], os.environ["PORT"] = host, str(port)
        if not os.environ.get("SITE_URL"):
            link_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
            settings.SITE_URL = f"http://{link_host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        # Static files with their gzip copies into var/static, served by WhiteNoise.
        call_command("collectstatic", interactive=False, verbosity=0)
        demo = settings.DEBUG and not no_seed
        if demo:
            call_command("seed_demo")
        children = self._start(host, port)
        url = f"http://{host}:{port}/"
        login = (
            f"  demo staff login: {DEMO_STAFF_EMAIL} / {DEMO_PASSWORD}\n"
            if demo
            else "  no demo data (DEBUG is off, or --no-seed)\n"
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nBaraza is running at {url}\n")
            + login
            + f"  health: {url}healthz   email files: {settings.EMAIL_FILE_PATH}\n"
            + "  Ctrl-C stops everything.\n"
        )
        self.stdout.flush()
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, proc in children.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping.")
                        exit_code = proc.returncode or 1
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop(children)
        if exit_code:
            sys.exit(exit_code)

    def _start(self, host: str, port: int) -> dict[str, subprocess.Popen]:
        python = sys.executable
        commands = {
            # Daphne, which refuses a request body past MAX_REQUEST_BODY unread.
            "web": [python, "-m", "config.serve", "-b", host, "-p", str(port), ASGI_APPLICATION],
            "worker": [
                python,
                *worker_args(),
                "--beat",
                "--schedule",
                str(settings.VAR_DIR / "celerybeat-schedule"),
            ],
        }
        return {
            name: subprocess.Popen(cmd, cwd=settings.BASE_DIR, start_new_session=True)
            for name, cmd in commands.items()
        }

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        for proc in children.values():
            if proc.poll() is None:
                proc.terminate()  # graceful: Daphne drains, Celery warm-shuts its pool
        deadline = time.monotonic() + 15
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

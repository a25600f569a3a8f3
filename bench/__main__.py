"""`python -m bench` runs every benchmark; `python -m bench NAME...` runs those.

Each runs in its own process (`python -m bench.NAME`): Django is set up once per
process, on that benchmark's own database and server. On Ctrl-C or SIGTERM the
running benchmark is interrupted and given time to stop its server.
"""

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench")

import pkgutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.servers import ROOT

SUPPORT_MODULES = {"harness", "load", "settings", "urls", "views", "asgi", "routing", "consumers"}
# Diagnostics run by hand: they print counts line by line, no ratio against a ceiling.
TOOLS = {"monitoring_trace"}
STOP_SECONDS = 30


def benchmark_names() -> list[str]:
    names = (module.name for module in pkgutil.iter_modules([str(Path(__file__).parent)]))
    skipped = SUPPORT_MODULES | TOOLS
    return sorted(name for name in names if name not in skipped and name[0] != "_")


def run_one(name: str) -> int:
    child = subprocess.Popen([sys.executable, "-m", f"bench.{name}"], cwd=ROOT)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # SIGTERM, not SIGINT: a child started in the background may ignore SIGINT.
        child.terminate()  # the benchmark's `finally` stops its server
        try:
            child.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    available = benchmark_names()
    names = argv or available
    unknown = [name for name in names if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(available)}")
        return 2
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        if run_one(name):
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit("interrupted")

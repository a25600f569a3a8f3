"""bench/library.py runs end to end at a small size and prints its figures and the summary
line the issue asks for (timings are not asserted, only the ratio's arithmetic and the
constant query count)."""

import os
import re
import subprocess
import sys

from tests.servers import ROOT

LAST = re.compile(r"^library: p95 (?P<value>[\d.]+) ms \(ratio (?P<ratio>\d+\.\d\d) vs ceiling\)$")


def test_library_bench_small_run():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.library", "--publications", "300", "--requests", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    match = LAST.match(lines[-1])
    assert match, lines[-1]
    figures = next(line for line in lines if "ceiling (indexed lookup page) p95" in line)
    ceiling = float(re.search(r"ceiling \(indexed lookup page\) p95 ([\d.]+) ms", figures)[1])
    search = float(re.search(r"search with facets .* p95 ([\d.]+) ms", figures)[1])
    assert abs(float(match["ratio"]) - ceiling / search) < 0.02
    queries = next(line for line in lines if "queries per search" in line)
    broad, narrow = map(int, re.findall(r"(\d+) \(", queries))
    assert broad == narrow
    assert "300 publications generated" in done.stdout

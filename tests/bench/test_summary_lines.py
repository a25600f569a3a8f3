"""Every benchmark's last line reads `name: value unit (ratio N.NN vs ceiling)`, the ratio
being the fraction of the ceiling's performance: 1.00 as good, lower worse, for rates and
times alike. Timings are never asserted; the ratio is checked against the figures the
same run printed."""

import re
import shutil
import subprocess
import sys

import pytest

from bench.harness import rate_ratio, summary_line, time_ratio
from tests.servers import ROOT

SUMMARY = re.compile(
    r"^(?P<name>\w+): (?P<value>[\d.]+) (?P<unit>.+) \(ratio (?P<ratio>\d+\.\d\d) vs ceiling\)$"
)


def run_benchmark(name: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()


def summary(line: str, name: str) -> float:
    match = SUMMARY.match(line)
    assert match, f"not a summary line: {line!r}"
    assert match["name"] == name
    return float(match["ratio"])


def figure(lines: list[str], pattern: str) -> float:
    for line in lines:
        match = re.search(pattern, line)
        if match:
            return float(match.group(1).replace(",", ""))
    raise AssertionError(f"no line matches {pattern!r} in {lines}")


def test_a_slower_time_or_a_lower_rate_is_a_lower_ratio():
    assert time_ratio(200.0, 100.0) == 0.5  # twice the ceiling's time: half its performance
    assert rate_ratio(50.0, 100.0) == 0.5
    assert time_ratio(100.0, 100.0) == rate_ratio(100.0, 100.0) == 1.0
    line = summary_line("planner", 200.0, "ms", time_ratio(200.0, 100.0))
    assert line == "planner: 200 ms (ratio 0.50 vs ceiling)"
    assert summary(line, "planner") == 0.5


def test_planner_rates_its_time_against_the_linearity_check():
    lines = run_benchmark("planner", "--rounds", "1")
    fourteen = figure(lines, r"^14 days:\s+([\d.]+) ms")
    linear = figure(lines, r"^linearity check .*= ([\d.]+) ms")
    assert summary(lines[-1], "planner") == pytest.approx(linear / fourteen, abs=0.02)


def test_attendance_import_ceiling_parses_and_writes_every_row():
    lines = run_benchmark("attendance_import", "--rows", "300", "--rounds", "1")
    ceiling_line = next(line for line in lines if line.startswith("ceiling"))
    assert re.search(r"(COPY|executemany INSERT) the 300 rows into a table", ceiling_line)
    imported = figure(lines, r"^whole import .* = ([\d,]+) rows/s")
    ceiling = figure(lines, r"^ceiling.* = ([\d,]+) rows/s")
    assert summary(lines[-1], "attendance_import") == pytest.approx(imported / ceiling, abs=0.01)


@pytest.mark.parametrize("name", ["pages", "planner", "chat_fanout"])
def test_a_benchmark_run_as_a_file_says_how_to_run_it(name):
    done = subprocess.run(
        [sys.executable, f"bench/{name}.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert f"python -m bench.{name}" in done.stderr
    assert "No module named" not in done.stderr


def test_chat_fanout_rates_the_worse_of_deliveries_and_p99_latency():
    from bench.chat_fanout import Run, Verdict

    ceiling = Run("ceiling", clients=2, sent=10, seconds=1.0, latencies=[0.010] * 20)
    slow = Run("pubsub", clients=2, sent=10, seconds=1.0, latencies=[0.030] * 20)
    verdict = Verdict(room=slow, ceiling=ceiling)
    assert (verdict.throughput, round(verdict.latency, 2)) == (1.0, 0.33)
    assert (
        verdict.summary()
        == "chat_fanout: 30 ms p99 latency on the pubsub layer (ratio 0.33 vs ceiling)"
    )

    lossy = Run("core", clients=2, sent=10, seconds=1.0, latencies=[0.010] * 10)
    verdict = Verdict(room=lossy, ceiling=ceiling)
    assert lossy.lost == 10
    assert (
        verdict.summary()
        == "chat_fanout: 10 msg/s delivered on the core layer (ratio 0.50 vs ceiling)"
    )


@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)"
)
def test_registration_flow_walks_each_person_through_wrk():
    lines = run_benchmark(
        "registration",
        "--count",
        "10",
        "--capacity",
        "5",
        "--flow-count",
        "24",
        "--flow-concurrency",
        "4",
    )
    assert any("through the whole flow, 4 at a time, client wrk" in line for line in lines)
    assert re.search(r"^whole flow .*; 24 stored$", "\n".join(lines), re.MULTILINE)
    flow = figure(lines, r"^whole flow .*: ([\d.]+) registrations/s")
    ceiling = figure(lines, r"^flow ceiling .*: ([\d.]+) people/s")
    flow_line = next(line for line in lines if line.startswith("registration flow:"))
    assert float(re.search(r"ratio (\d\.\d\d)", flow_line).group(1)) == pytest.approx(
        flow / ceiling, abs=0.02
    )

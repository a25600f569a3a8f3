"""bench/surveys.py runs end to end on a small count: exact responses, no errors, and its
last line's ratio is the one its own figures give."""

import re

import pytest

from tests.bench.test_summary_lines import figure, run_benchmark, summary


def test_surveys_bench_counts_every_submission_and_rates_against_the_ceiling():
    lines = run_benchmark("surveys", "--count", "40", "--concurrency", "5")
    assert any(re.search(r"stored: 40 submitted responses, 200 answers", line) for line in lines)
    assert not any(line.startswith("FAILED") for line in lines)
    rps = figure(lines, r"submissions ([\d.]+)/s")
    ceiling = figure(lines, r"vs ceiling ([\d.]+) POSTs/s")
    assert summary(lines[-1], "surveys") == pytest.approx(rps / ceiling, abs=0.02)

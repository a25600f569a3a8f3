"""bench/glossary.py runs and ends with its summary line (timings are never asserted)."""

import re

from tests.bench.test_summary_lines import run_benchmark, summary


def test_glossary_benchmark_prints_its_summary():
    lines = run_benchmark("glossary", "--concepts", "200", "--rounds", "1")
    assert summary(lines[-1], "glossary") > 0
    linked = re.search(r"(\d+) terms linked", "\n".join(lines))
    assert linked and int(linked.group(1)) > 0

"""Planner: a 60-country audience over 14 days at a 15-minute step, against 14 single days.

    python -m bench.planner [--rounds R]

The engine is pure (no database, no server): this times `webinars.planner.plan` itself once
the once-per-process tables (city populations, holiday calendars) are warm; the cold first
run is printed too.

There is no faster way to plan to compare with, so this benchmark's "ceiling" is a
linearity check: the cost must grow linearly with days × countries, and the 14 days
planned one by one (best of `--rounds` for each) are what a perfectly linear 14-day plan
would cost. The ratio is that time over the 14-day plan's: 1.00 is linear, below 1 worse
than linear (above 1, the shared per-plan work is paid once instead of 14 times). Rounds
interleave the single days and the 14-day plan, so the machine's noise falls on both
alike. The days cross Europe's change to summer time.
"""

from __future__ import annotations

if not __package__:  # run as a file: the imports below need the bench package
    raise SystemExit("from the project root, run: python -m bench.planner")

import argparse
import gc
import random
import time
from datetime import date

from bench.harness import summary_line, time_ratio
from webinars.planner import PlanResult, date_range, plan

COUNTRIES = (
    "IN PK BD NP LK AF ID PH VN TH MY KH MM CN MN AU PG FJ KE NG GH ET TZ UG ZA ZM SN CI CM "
    "CD MZ RW EG MA TN JO SA IR IQ LB BR MX CO PE AR CL EC GT HT US CA TR UA KZ UZ GE FR DE "
    "GB RU"
).split()
FIRST_DAY = date(2027, 3, 22)
DAYS = 14
STEP = 15


def audience(count: int) -> dict[str, float]:
    weights = random.Random(42)
    return {code: float(weights.randint(1, 50)) for code in COUNTRIES[:count]}


def timed(people: dict[str, float], days: list[date]) -> tuple[float, PlanResult]:
    gc.collect()  # each run starts from the same heap
    started = time.perf_counter()
    result = plan(people, days=days, duration_minutes=90, step_minutes=STEP)
    return (time.perf_counter() - started) * 1000, result


def run(rounds: int) -> str:
    people, fewer_people = audience(60), audience(30)
    days = date_range(FIRST_DAY, DAYS)
    cold, _ = timed(people, days[:1])
    print(f"cold first run (tables built), 1 day: {cold:.0f} ms", flush=True)
    single = [float("inf")] * DAYS
    fourteen = fewer = float("inf")
    for _round in range(rounds):
        for index, day in enumerate(days):
            single[index] = min(single[index], timed(people, [day])[0])
        elapsed, many = timed(people, days)
        fourteen = min(fourteen, elapsed)
        elapsed, few = timed(fewer_people, days)
        fewer = min(fewer, elapsed)
    one = timed(people, days[:1])[1]
    linear = sum(single)
    print(
        f"1 day:   {single[0]:7.1f} ms  {len(one.candidates)} starts, "
        f"{one.evaluations} zone evaluations (days alone: {min(single):.1f}–{max(single):.1f} ms)"
    )
    print(
        f"{DAYS} days: {fourteen:7.1f} ms  {len(many.candidates)} starts, "
        f"{many.evaluations} zone evaluations"
    )
    print(
        f"{DAYS} days, 30 countries: {fewer:.1f} ms for {few.evaluations} zone evaluations; "
        f"µs per evaluation {1e3 * fewer / few.evaluations:.2f} (30 countries), "
        f"{1e3 * fourteen / many.evaluations:.2f} (60)"
    )
    best = many.candidates[0]
    pair = f"pair {many.pair.score:.2f}" if many.pair else "no pair needed"
    print(f"best start {best.start_utc:%Y-%m-%d %H:%M}Z scores {best.score:.2f}; {pair}")
    print(
        f"linearity check (the ceiling): the {DAYS} days planned one by one = {linear:.1f} ms,"
        f" what a perfectly linear {DAYS}-day plan costs"
    )
    return summary_line("planner", fourteen, f"ms for {DAYS} days", time_ratio(fourteen, linear))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.planner", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    print(run(options.rounds), flush=True)


if __name__ == "__main__":
    main()

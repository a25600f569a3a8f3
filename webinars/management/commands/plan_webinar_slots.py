"""Which start times reach most of an audience in waking hours.

    python manage.py plan_webinar_slots --audience IN=40,ID=20,PH=15,KE=15,BR=10 \\
        --date 2027-03-29 --duration 90 --window 08:00-21:00 --preferred 09:00-17:00 \\
        --step 30 --json

The audience is any mix of --audience weights, --region presets and --from-webinar SLUG
(its registrants per country); for a country given twice, --audience beats the webinar's
registrants, which beat a region. Bad input exits with code 2 and names the argument.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from webinars.planner import (
    DEFAULT_PREFERRED,
    DEFAULT_WINDOW,
    MAX_DAYS,
    STEPS,
    PlannerInputError,
    PlanResult,
    audience_from_regions,
    date_range,
    merge_audiences,
    parse_audience,
    parse_panelist,
    parse_window,
    plan,
    to_json,
)
from webinars.selectors import registrant_audience

TABLE_ROWS = 10


def _bad(argument: str, message: str) -> CommandError:
    return CommandError(f"--{argument}: {message}", returncode=2)


def _date(text: str, argument: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _bad(argument, f"“{text}” is not a date like 2027-03-29")


class Command(BaseCommand):
    help = "Rank webinar start times by how much of the audience they reach in waking hours."

    def add_arguments(self, parser):
        parser.add_argument("--audience", help="Country weights: IN=40,ID=20,KE=15")
        parser.add_argument(
            "--region", action="append", default=[], help="A region preset (repeatable)."
        )
        parser.add_argument("--from-webinar", metavar="SLUG", help="Use its registrants.")
        parser.add_argument("--date", required=True, help="The (first) UTC day, YYYY-MM-DD.")
        span = parser.add_mutually_exclusive_group()
        span.add_argument("--days", type=int, default=1, help=f"Days to plan (1–{MAX_DAYS}).")
        span.add_argument("--until", help="The last UTC day, YYYY-MM-DD.")
        parser.add_argument("--duration", type=int, default=90, help="Minutes (default 90).")
        parser.add_argument("--window", default=str(DEFAULT_WINDOW), help="Acceptable hours.")
        parser.add_argument("--preferred", default=str(DEFAULT_PREFERRED), help="Preferred.")
        parser.add_argument("--step", type=int, choices=STEPS, default=30, help="Minutes.")
        parser.add_argument(
            "--panelist",
            action="append",
            default=[],
            metavar="ZONE[=HH:MM-HH:MM]",
            help="A panelist's zone and hours (repeatable); every start must suit them.",
        )
        parser.add_argument("--json", action="store_true", help="Print the full plan as JSON.")

    def handle(self, *args, **options):
        try:
            arguments = self._plan_arguments(options)
            result = plan(**arguments)
        except PlannerInputError as error:
            raise _bad(error.argument, str(error))
        if options["json"]:
            self.stdout.write(to_json(result))
        else:
            self.stdout.write(self._table(result))

    def _plan_arguments(self, options) -> dict:
        first = _date(options["date"], "date")
        days = options["days"]
        if options["until"]:
            days = (_date(options["until"], "until") - first).days + 1
            if not 1 <= days <= MAX_DAYS:
                raise _bad("until", f"the range must be 1 to {MAX_DAYS} days from --date")
        window = parse_window(options["window"], "window")
        preferred = parse_window(options["preferred"], "preferred")
        return {
            "audience": self._audience(options),
            "days": date_range(first, days),
            "duration_minutes": options["duration"],
            "window": window,
            "preferred": preferred,
            "step_minutes": options["step"],
            "panelists": [parse_panelist(text, window) for text in options["panelist"]],
        }

    def _audience(self, options) -> dict[str, float]:
        regions = [name for value in options["region"] for name in value.split(",") if name]
        parts = [audience_from_regions(regions)] if regions else []
        slug = options["from_webinar"]
        if slug:
            registrants = registrant_audience(slug)
            if registrants is None:
                raise _bad("from-webinar", f"no webinar has the address “{slug}”")
            if not registrants:
                raise _bad("from-webinar", f"no registrant of “{slug}” gave a country")
            parts.append(registrants)
        if options["audience"] is not None:
            parts.append(parse_audience(options["audience"]))
        if not parts:
            raise _bad("audience", "give --audience, --region or --from-webinar")
        return merge_audiences(*parts)

    def _table(self, result: PlanResult) -> str:
        if not result.candidates:
            return "No start suits every panelist on these days.\n"
        lines = [f"Top {min(TABLE_ROWS, len(result.candidates))} starts (UTC), best first:"]
        for rank, candidate in enumerate(result.candidates[:TABLE_ROWS], start=1):
            lines.append(self._row(rank, candidate))
        if result.pair:
            lines.append(f"\nBest pair of sessions reaches {result.pair.score:.0%}:")
            for index, session in enumerate(result.pair.sessions):
                countries = [c for c, i in result.pair.assignment.items() if i == index]
                lines.append(f"  session {index + 1}, for {', '.join(countries)}:")
                lines.append(self._row(index + 1, session))
        lines.append("\n(W: a weekend day there, H: a public holiday there)")
        return "\n".join(lines) + "\n"

    def _row(self, rank: int, candidate) -> str:
        head = f"{rank:>2}. {candidate.start_utc:%a %Y-%m-%d %H:%M}Z  {candidate.score:6.1%}"
        cells = []
        for row in candidate.countries:
            marks = ("W" if row.weekend else "") + (f"H {row.holiday}" if row.holiday else "")
            cells.append(
                f"{row.country} {row.zone} {row.local_start:%a %H:%M}–{row.local_end:%H:%M} "
                f"{row.window}{' ' + marks if marks else ''}"
            )
        return head + "\n      " + "\n      ".join(cells)

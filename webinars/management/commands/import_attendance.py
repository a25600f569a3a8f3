"""python manage.py import_attendance <webinar-slug> <path> [--session N] [--tz ZONE] [--json]

Imports a platform attendance report (Zoom webinar or meeting, Microsoft Teams, GoTo
Webinar; the format is detected) into a session of the webinar and prints a summary;
with --json exactly:

    {"format": "zoom-webinar" | "zoom-meeting" | "teams" | "goto", "rows": n, "matched": n,
     "walk_ins": n, "attendees": n, "errors": [{"line": n, "reason": "…"}]}

--session N is the session's number in the webinar (1 = the earliest, as listed on the
webinar's page); it may be left out when the webinar has one session. --tz is the zone
the export's times were written in (default: the session's host zone).

Importing the same file again changes nothing. Rows that cannot be read stop the import
(nothing is written; exit status 1, the summary lists them) unless --skip-unreadable.
A file that is not a report is refused with a message (exit status 1).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from webinars.attendance import ReportError
from webinars.attendance.services import ImportBlocked, attendance_import_file
from webinars.models import Session, Webinar


class Command(BaseCommand):
    help = "Import a Zoom, Teams or GoTo attendance report into a webinar session."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the webinar's slug")
        parser.add_argument("path", help="the report file (CSV as the platform exports it)")
        parser.add_argument(
            "--session", type=int, help="the session's number in the webinar (1 = earliest)"
        )
        parser.add_argument("--tz", help="time zone of the export (default: session host zone)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument(
            "--skip-unreadable",
            action="store_true",
            help="import the readable rows even when some rows cannot be read",
        )

    def handle(self, *args, **options):
        webinar = Webinar.objects.filter(slug=options["slug"]).first()
        if webinar is None:
            raise CommandError(f"No webinar with the slug “{options['slug']}”.")
        session = self._session(webinar, options["session"])
        path = Path(options["path"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.")
        try:
            outcome = attendance_import_file(
                session=session,
                actor=None,
                content=content,
                filename=path.name,
                zone=options["tz"],
                skip_unreadable=options["skip_unreadable"],
            )
        except ReportError as error:
            raise CommandError(str(error.message))
        except ImportBlocked as error:
            self._print(error.summary, options)
            raise CommandError(" ".join(error.messages))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        self._print(outcome.summary, options)
        if not outcome.applied:
            self.stderr.write(
                "This file had already been imported into this session: nothing changed."
            )

    def _session(self, webinar: Webinar, number: int | None) -> Session:
        sessions = list(webinar.sessions.order_by("starts_at", "id"))
        if not sessions:
            raise CommandError("This webinar has no sessions.")
        if number is None:
            if len(sessions) > 1:
                raise CommandError(
                    f"This webinar has {len(sessions)} sessions: say which with "
                    f"--session 1…{len(sessions)}."
                )
            return sessions[0]
        if not 1 <= number <= len(sessions):
            raise CommandError(f"--session must be between 1 and {len(sessions)}.")
        return sessions[number - 1]

    def _print(self, summary: dict, options) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary['format']}: {summary['rows']} rows, {summary['attendees']} attendees "
            f"({summary['matched']} registrants, {summary['walk_ins']} walk-ins)"
        )
        for error in summary["errors"]:
            self.stdout.write(f"  line {error['line']}: {error['reason']}")

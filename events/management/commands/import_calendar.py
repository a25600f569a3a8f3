"""python manage.py import_calendar <path-or-url> --organization <slug> [--json]

Exit 0 when the file was read (events it refused are listed in "errors"), 2 with a
one-line reason when it could not be read at all."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.zones import canonical_zone
from events.services.fetching import FetchRefused, feed_fetch
from events.services.imports import CalendarUnreadable, calendar_import, parse_calendar
from members.models import Organization


class Command(BaseCommand):
    help = "Import an iCalendar file or feed address for an organization."

    def add_arguments(self, parser):
        parser.add_argument("source", help="a .ics file path or an http(s) address")
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--zone", default="UTC", help="zone of floating times (default UTC)")

    def handle(self, *args, source: str, organization: str, **options):
        zone = canonical_zone(options["zone"])
        if zone is None:
            raise CommandError(f"unknown time zone “{options['zone']}”", returncode=2)
        try:
            if source.startswith(("http://", "https://")):
                fetched = feed_fetch(source)
                data = fetched.body or b""
            else:
                data = Path(source).read_bytes()
        except OSError as error:
            raise CommandError(
                f"cannot read {source}: {error.strerror or error}", returncode=2
            ) from error
        except FetchRefused as error:
            raise CommandError(f"cannot fetch {source}: {error}", returncode=2) from error
        try:
            calendar = parse_calendar(data)  # an unreadable file is refused before anything else
        except CalendarUnreadable as error:
            raise CommandError(f"cannot import {source}: {error}", returncode=2) from error
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"no organization with slug “{organization}”", returncode=2)
        result = calendar_import(organization=org, data=calendar, default_zone=zone)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, cancelled "
            f"{result.cancelled}, unchanged {result.unchanged}, refused {len(result.errors)}"
        )
        for error in result.errors:
            self.stdout.write(f"  {error['where']}: {error['reason']}")

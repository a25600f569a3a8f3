"""`usage_report --date YYYY-MM-DD [--json]`: a day's usage, rolled up first if needed."""

import json
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.clock import now
from monitoring import recording
from monitoring.models import DailyRollup, UsageEvent
from monitoring.selectors import usage_day_report
from monitoring.services import day_end, raw_cutoff, usage_rollup_day


class Command(BaseCommand):
    help = "Print one day's usage (page views, visitors, top pages, downloads, failed searches)."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="the day, YYYY-MM-DD (UTC)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        try:
            day = date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}")
        self._wait_for_other_processes(day)
        recording.flush()
        rollup = DailyRollup.objects.filter(day=day).first()
        stale = rollup is None or rollup.rolled_at < day_end(day) + timedelta(
            seconds=settings.USAGE_FLUSH_SECONDS
        )
        newer = (
            rollup is not None
            and day >= raw_cutoff()
            and UsageEvent.objects.filter(day=day).count() != rollup.events
        )
        if stale or newer:
            usage_rollup_day(day=day)
        report = usage_day_report(day=day)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            f"{report['date']}: {report['page_views']} page views, "
            f"{report['visitors']} visitors, {report['downloads']} downloads"
        )
        for page in report["top_pages"]:
            self.stdout.write(f"  {page['views']:>8}  {page['path']}")
        if report["searches_without_results"]:
            self.stdout.write("searches without results:")
            for search in report["searches_without_results"]:
                self.stdout.write(f"  {search['count']:>8}  {search['query']}")

    @staticmethod
    def _wait_for_other_processes(day: date) -> None:
        """Other processes (the web servers) hold events in memory for at most
        USAGE_FLUSH_SECONDS: for a day that ended less than that ago (or today), wait
        until what they buffered for it is written."""
        interval = settings.USAGE_FLUSH_SECONDS
        if interval <= 0:
            return
        since_end = (now() - day_end(day)).total_seconds()
        if since_end < interval:
            time.sleep(min(interval, interval - since_end) + 0.5)

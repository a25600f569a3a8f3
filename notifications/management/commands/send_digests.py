from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.digests import digests_send


class Command(BaseCommand):
    help = "Run one digest pass (the same code the beat task runs every 15 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO-8601 instant to run the pass as of (with offset)")

    def handle(self, *args, now=None, **options):
        at = None
        if now:
            try:
                at = datetime.fromisoformat(now.replace("Z", "+00:00"))
            except ValueError:
                raise CommandError(f"--now: “{now}” is not an ISO-8601 instant", returncode=2)
            if at.tzinfo is None:
                raise CommandError(
                    "--now needs a UTC offset, e.g. 2027-03-29T08:00:00Z", returncode=2
                )
        result = digests_send(at=at)
        skipped = result.empty + result.skipped + result.already
        self.stdout.write(
            f"digests sent: {result.sent}, skipped: {skipped} "
            f"(empty {result.empty}, paused or unsubscribed {result.skipped}, "
            f"already sent {result.already})"
        )
